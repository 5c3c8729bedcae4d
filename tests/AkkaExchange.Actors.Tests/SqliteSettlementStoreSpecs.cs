using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Persistence.Settlement;
using AkkaExchange.TestSupport;
using Microsoft.Data.Sqlite;

namespace AkkaExchange.Actors.Tests;

/// <summary>The settlement suite on the embedded ledger (the journal's SQLite file).</summary>
public sealed class SqliteSettlementStoreSpecs : SettlementStoreSpecs
{
    private static readonly string Directory = RepositoryPaths.TempDirectory("ledger");
    private readonly string _journal = Path.Combine(Directory, $"journal-{Guid.NewGuid():N}.db");
    private readonly string _path = Path.Combine(Directory, $"ledger-{Guid.NewGuid():N}.db");

    protected override Task<(IJournal Journal, SettlementStore Store)> OpenAsync() =>
        Task.FromResult<(IJournal, SettlementStore)>((new SqliteJournal(new SqliteJournalOptions(_journal)), new SqliteSettlementStore(_path, _journal)));

    protected override async Task<int> ExecuteAsync(string sql)
    {
        await using var c = new SqliteConnection($"Data Source={_path}");
        await c.OpenAsync();
        await using var cmd = new SqliteCommand(sql, c);
        return await cmd.ExecuteNonQueryAsync();
    }

    protected override async Task<long> ScalarAsync(string sql)
    {
        await using var c = new SqliteConnection($"Data Source={_path}");
        await c.OpenAsync();
        await using var cmd = new SqliteCommand(sql, c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
