using AkkaExchange.Actors.Persistence;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Actors.Tests;

/// <summary>The journal suite on a real PostgreSQL server (see <see cref="TestPostgres"/>): each test gets its own schema.</summary>
public sealed class PostgresJournalSpecs : JournalSpecs
{
    private readonly Dictionary<string, string> _schemas = new();

    protected override async Task<IJournal> OpenAsync(string store)
    {
        if (!_schemas.TryGetValue(store, out var schema)) _schemas[store] = schema = TestPostgres.NewSchema();
        return new PostgresJournal(new PostgresJournalOptions(await TestPostgres.ConnectionStringAsync(), schema));
    }
}
