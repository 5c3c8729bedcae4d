using AkkaExchange.Actors.Persistence;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Actors.Tests;

public sealed class SqliteJournalSpecs : JournalSpecs
{
    private readonly string _dir = RepositoryPaths.TempDirectory("sqlite-journal");

    protected override Task<IJournal> OpenAsync(string store) =>
        Task.FromResult<IJournal>(new SqliteJournal(new SqliteJournalOptions(Path.Combine(_dir, store, "journal.db"))));
}
