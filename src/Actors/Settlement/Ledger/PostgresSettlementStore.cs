using System.Data.Common;
using AkkaExchange.Actors.Settlement.Domain;
using Npgsql;

namespace AkkaExchange.Actors.Settlement.Ledger;

/// <summary>
/// The cluster's ledger, in the journal's PostgreSQL schema. Writers serialize on a transaction advisory lock (so
/// notice numbers follow commit order for readers) and prove their singleton lease last before commit
/// (<see cref="ILedgerFence"/>). Bulk paths send whole arrays in one statement.
/// </summary>
public sealed class PostgresSettlementStore : SettlementStore
{
    private const long WriterLock = 7342003;
    private readonly NpgsqlDataSource _source;
    private readonly string _schema;

    public PostgresSettlementStore(string connectionString, string schema)
    {
        _schema = schema;
        _source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
        {
            SearchPath = schema,
            Options = "-c idle_in_transaction_session_timeout=5000 -c statement_timeout=60000",
        }.ConnectionString);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellation) =>
        await _source.OpenConnectionAsync(cancellation).ConfigureAwait(false);

    protected override async Task PrepareSchemaAsync(DbConnection c, DbTransaction tx, CancellationToken cancellation)
    {
        // Nodes starting together take turns creating the schema.
        await using var cmd = Command(c, tx, $"SELECT pg_advisory_xact_lock(7342001); CREATE SCHEMA IF NOT EXISTS {_schema}");
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    protected override async Task LockWritersAsync(DbConnection c, DbTransaction tx, CancellationToken cancellation)
    {
        await using var cmd = Command(c, tx, "SELECT pg_advisory_xact_lock(@k)", ("k", WriterLock));
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    protected override async Task<int> InsertPostingsAsync(DbConnection c, DbTransaction tx, IReadOnlyList<Posting> postings, long now,
        CancellationToken cancellation)
    {
        if (postings.Count == 0) return 0;
        await using var cmd = Command(c, tx, """
            INSERT INTO ledger_postings (symbol, trade_id, account, asset, amount, posted_at)
            SELECT s, t, a, x, m, @at FROM unnest(@s::text[], @t::bigint[], @a::text[], @x::text[], @m::bigint[]) AS p(s, t, a, x, m)
            ON CONFLICT DO NOTHING
            """, ("at", now), ("s", postings.Select(p => p.Symbol).ToArray()), ("t", postings.Select(p => p.TradeId).ToArray()),
            ("a", postings.Select(p => p.Account).ToArray()), ("x", postings.Select(p => p.Asset).ToArray()), ("m", postings.Select(p => p.Amount).ToArray()));
        return await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    protected override async Task InsertNoticesAsync(DbConnection c, DbTransaction tx, IReadOnlyList<SettlementNotice> notices, long firstSeq, long now,
        CancellationToken cancellation)
    {
        if (notices.Count == 0) return;
        await using var cmd = Command(c, tx, """
            INSERT INTO settlements (seq, account, symbol, trade_id, side, quantity, price, cash, fee, traded_at, settled_at)
            SELECT @first + o - 1, a, s, t, d, n, p, c, f, ta, @now
            FROM unnest(@a::text[], @s::text[], @t::bigint[], @d::text[], @n::bigint[], @p::bigint[], @c::bigint[], @f::bigint[], @ta::bigint[])
                WITH ORDINALITY AS x(a, s, t, d, n, p, c, f, ta, o)
            ON CONFLICT DO NOTHING
            """, ("first", firstSeq), ("now", now), ("a", notices.Select(n => n.Account).ToArray()), ("s", notices.Select(n => n.Symbol).ToArray()),
            ("t", notices.Select(n => n.TradeId).ToArray()), ("d", notices.Select(n => SideText(n.Side)).ToArray()),
            ("n", notices.Select(n => n.Quantity).ToArray()), ("p", notices.Select(n => n.Price).ToArray()), ("c", notices.Select(n => n.Cash).ToArray()),
            ("f", notices.Select(n => n.Fee).ToArray()), ("ta", notices.Select(n => n.TradedAt).ToArray()));
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => _source.DisposeAsync();
}
