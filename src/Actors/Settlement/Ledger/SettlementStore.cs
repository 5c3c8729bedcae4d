using System.Data.Common;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Settlement.Ledger;

/// <summary>
/// The settlement ledger: in the cluster's PostgreSQL schema beside the journal, or an SQLite file beside the
/// embedded journal. The projection commits its offsets (journal row numbers per symbol persistence id) with its
/// postings in one transaction. Tables: <c>ledger_postings</c> (double-entry legs, key (symbol, trade id, account,
/// asset)), <c>settlements</c> (notices, ordered by a gap-tolerant commit-ordered <c>seq</c>), <c>settlement_offsets</c>,
/// <c>reconciliation_runs</c> (the audit table), <c>reconciliation_checkpoints</c> and <c>reconciliation_requests</c>.
/// SQL here is common to both dialects; each subclass says how to connect, lock and bulk insert. The journal is not
/// read here: trades come from Akka.Persistence.Query (<see cref="JournalTrades"/>).
/// </summary>
public abstract class SettlementStore : IAsyncDisposable
{
    /// <summary>The tables, in SQL both dialects take; a dialect may adjust it (<see cref="TablesSql"/>).</summary>
    protected const string Tables = """
        CREATE TABLE IF NOT EXISTS ledger_postings (
            symbol TEXT NOT NULL, trade_id BIGINT NOT NULL, account TEXT NOT NULL, asset TEXT NOT NULL,
            amount BIGINT NOT NULL, posted_at BIGINT NOT NULL,
            PRIMARY KEY (symbol, trade_id, account, asset));
        CREATE INDEX IF NOT EXISTS ledger_postings_by_account ON ledger_postings (account, posted_at);
        CREATE TABLE IF NOT EXISTS settlements (
            seq BIGINT PRIMARY KEY, account TEXT NOT NULL, symbol TEXT NOT NULL, trade_id BIGINT NOT NULL, side TEXT NOT NULL,
            quantity BIGINT NOT NULL, price BIGINT NOT NULL, cash BIGINT NOT NULL, fee BIGINT NOT NULL,
            traded_at BIGINT NOT NULL, settled_at BIGINT NOT NULL,
            UNIQUE (symbol, trade_id, side));
        CREATE INDEX IF NOT EXISTS settlements_by_account ON settlements (account, seq);
        CREATE TABLE IF NOT EXISTS settlement_offsets (persistence_id TEXT PRIMARY KEY, sequence_nr BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS reconciliation_checkpoints (symbol TEXT PRIMARY KEY, sequence_nr BIGINT NOT NULL, trade_id BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS reconciliation_requests (request_id TEXT PRIMARY KEY, scope TEXT NOT NULL, requested_at BIGINT NOT NULL, run_id BIGINT);
        CREATE TABLE IF NOT EXISTS reconciliation_runs (
            run_id BIGINT PRIMARY KEY, trigger_kind TEXT NOT NULL, scope TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT NOT NULL,
            window_from BIGINT NOT NULL, window_to BIGINT NOT NULL, trades_checked BIGINT NOT NULL, missing BIGINT NOT NULL,
            replayed BIGINT NOT NULL, mismatched BIGINT NOT NULL, extra BIGINT NOT NULL, imbalanced_assets BIGINT NOT NULL,
            position_breaks BIGINT NOT NULL, outcome TEXT NOT NULL, details TEXT NOT NULL);
        """;

    /// <summary>The DDL this dialect runs: <see cref="Tables"/> unless it knows better.</summary>
    protected virtual string TablesSql => Tables;

    /// <summary>Opens a connection to the ledger's database.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellation);

    /// <summary>Creates what the dialect needs before <see cref="Tables"/> (a schema) and serializes concurrent creators.</summary>
    protected abstract Task PrepareSchemaAsync(DbConnection c, DbTransaction tx, CancellationToken cancellation);

    /// <summary>Serializes ledger writers for the rest of the transaction, so <c>seq</c> follows commit order.</summary>
    protected abstract Task LockWritersAsync(DbConnection c, DbTransaction tx, CancellationToken cancellation);

    /// <summary>Inserts ledger legs, skipping keys that exist; returns how many were new.</summary>
    protected abstract Task<int> InsertPostingsAsync(DbConnection c, DbTransaction tx, IReadOnlyList<Posting> postings, long now,
        CancellationToken cancellation);

    /// <summary>Inserts notices numbered from <paramref name="firstSeq"/>, skipping (symbol, trade id, side) that exist.</summary>
    protected abstract Task InsertNoticesAsync(DbConnection c, DbTransaction tx, IReadOnlyList<SettlementNotice> notices, long firstSeq, long now,
        CancellationToken cancellation);

    /// <summary>Creates the tables (when missing) and an offset of 0 for every persistence id the projection follows.</summary>
    public async Task InitializeAsync(IEnumerable<string> persistenceIds, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await PrepareSchemaAsync(c, tx, cancellation).ConfigureAwait(false);
        await using (var create = Command(c, tx, TablesSql)) await create.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        await using (var offsets = Command(c, tx, "INSERT INTO settlement_offsets (persistence_id, sequence_nr) VALUES (@p, 0) ON CONFLICT DO NOTHING", ("p", "")))
            foreach (var persistenceId in persistenceIds)
            {
                offsets.Parameters[0].Value = persistenceId;
                await offsets.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
            }
        await tx.CommitAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>The projection's committed offsets: the journal row number reached, per persistence id.</summary>
    public async Task<Dictionary<string, long>> ReadOffsetsAsync(CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, "SELECT persistence_id, sequence_nr FROM settlement_offsets");
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false)) map[r.GetString(0)] = r.GetInt64(1);
        return map;
    }

    /// <summary>
    /// Writes a batch in one transaction: legs and notices that are new, and the offsets when given (an offset never
    /// moves back); proved last by <paramref name="fence"/> when given. Returns how many legs were new.
    /// </summary>
    public async Task<int> CommitAsync(SettlementBatch batch, ILedgerFence? fence, CancellationToken cancellation = default)
    {
        var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10; // Unix µs, as trade times
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await LockWritersAsync(c, tx, cancellation).ConfigureAwait(false);
        var inserted = await InsertPostingsAsync(c, tx, batch.Postings, now, cancellation).ConfigureAwait(false);
        if (batch.Notices.Count > 0)
        {
            long next;
            await using (var max = Command(c, tx, "SELECT COALESCE(MAX(seq), 0) FROM settlements"))
                next = Convert.ToInt64(await max.ExecuteScalarAsync(cancellation).ConfigureAwait(false)) + 1;
            await InsertNoticesAsync(c, tx, batch.Notices, next, now, cancellation).ConfigureAwait(false);
        }
        if (batch.Offsets is { Count: > 0 } offsets)
        {
            await using var up = Command(c, tx, """
                INSERT INTO settlement_offsets (persistence_id, sequence_nr) VALUES (@p, @s)
                ON CONFLICT (persistence_id) DO UPDATE SET sequence_nr = CASE WHEN excluded.sequence_nr > settlement_offsets.sequence_nr
                    THEN excluded.sequence_nr ELSE settlement_offsets.sequence_nr END
                """, ("p", ""), ("s", 0L));
            foreach (var (persistenceId, seq) in offsets)
            {
                up.Parameters[0].Value = persistenceId;
                up.Parameters[1].Value = seq;
                await up.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
            }
        }
        if (fence is not null) await fence.ProveAsync(c, tx, cancellation).ConfigureAwait(false);
        await tx.CommitAsync(cancellation).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>
    /// Credits <paramref name="amount"/> of an asset to an account from <see cref="Accounts.External"/>, once per
    /// reference: returns false (and changes nothing) when this same deposit was made before; throws
    /// <see cref="InvalidOperationException"/> when the reference was used for a different one.
    /// </summary>
    public async Task<bool> DepositAsync(string reference, string account, string asset, long amount, CancellationToken cancellation = default)
    {
        var key = "deposit/" + reference;
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        // Under the writers' lock, so two deposits of one reference cannot both find it unused.
        await LockWritersAsync(c, tx, cancellation).ConfigureAwait(false);
        await using (var find = Command(c, tx, "SELECT account, asset, amount FROM ledger_postings WHERE symbol = @k AND trade_id = 0 AND account <> @x",
                         ("k", key), ("x", Accounts.External)))
        await using (var r = await find.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
            if (await r.ReadAsync(cancellation).ConfigureAwait(false))
                return r.GetString(0) == account && r.GetString(1) == asset && r.GetInt64(2) == amount
                    ? false
                    : throw new InvalidOperationException($"reference {reference} was used for another deposit");
        var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        await InsertPostingsAsync(c, tx, [new(key, 0, account, asset, amount), new(key, 0, Accounts.External, asset, -amount)], now, cancellation)
            .ConfigureAwait(false);
        await tx.CommitAsync(cancellation).ConfigureAwait(false);
        return true;
    }

    /// <summary>An account's balances: the sum of its legs per asset.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReadBalancesAsync(string account, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, "SELECT asset, SUM(amount) FROM ledger_postings WHERE account = @a GROUP BY asset ORDER BY asset", ("a", account));
        var balances = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false)) balances[r.GetString(0)] = Convert.ToInt64(r.GetValue(1));
        return balances;
    }

    /// <summary>Notices after <paramref name="afterSeq"/>, of one account or (null) of all, oldest first.</summary>
    public async Task<IReadOnlyList<SettlementRecord>> ReadSettlementsAsync(string? account, long afterSeq, int limit, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, $"""
            SELECT seq, account, symbol, trade_id, side, quantity, price, cash, fee, traded_at, settled_at FROM settlements
            WHERE {(account is null ? "" : "account = @a AND ")}seq > @q ORDER BY seq LIMIT @n
            """, [.. account is null ? Array.Empty<(string, object)>() : [("a", account)], ("q", afterSeq), ("n", (long)limit)]);
        var list = new List<SettlementRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            list.Add(new SettlementRecord(r.GetInt64(0), new SettlementNotice(r.GetString(1), r.GetString(2), r.GetInt64(3),
                r.GetString(4) == "buy" ? Side.Buy : Side.Sell, r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9)), r.GetInt64(10)));
        return list;
    }

    /// <summary>The number of the last notice committed (0 when none).</summary>
    public async Task<long> LatestSettlementSeqAsync(CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, "SELECT COALESCE(MAX(seq), 0) FROM settlements");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false));
    }

    /// <summary>The ledger's <see cref="LedgerHash"/>: SHA-256 over every posting and notice, in key order.</summary>
    public async Task<LedgerHash> HashAsync(CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        // One read transaction: postings and notices as of one moment even while settlement commits.
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation).ConfigureAwait(false);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var line = new System.Text.StringBuilder();
        async Task<long> FoldAsync(string sql)
        {
            await using var cmd = Command(c, tx, sql);
            await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
            long rows = 0;
            while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            {
                line.Clear();
                for (var i = 0; i < r.FieldCount; i++) line.Append(Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\u001f');
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
                rows++;
            }
            return rows;
        }
        var postings = await FoldAsync("SELECT symbol, trade_id, account, asset, amount, posted_at FROM ledger_postings ORDER BY symbol, trade_id, account, asset").ConfigureAwait(false);
        var settlements = await FoldAsync(
            "SELECT seq, account, symbol, trade_id, side, quantity, price, cash, fee, traded_at, settled_at FROM settlements ORDER BY seq").ConfigureAwait(false);
        await tx.CommitAsync(cancellation).ConfigureAwait(false);
        return new LedgerHash(Convert.ToHexStringLower(sha.GetHashAndReset()), postings, settlements);
    }

    /// <summary>The legs of one symbol's trades with ids in (<paramref name="afterTradeId"/>, <paramref name="upToTradeId"/>].</summary>
    public async Task<IReadOnlyList<Posting>> ReadPostingsAsync(string symbol, long afterTradeId, long upToTradeId, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, """
            SELECT trade_id, account, asset, amount FROM ledger_postings WHERE symbol = @s AND trade_id > @a AND trade_id <= @u
            """, ("s", symbol), ("a", afterTradeId), ("u", upToTradeId));
        var list = new List<Posting>();
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            list.Add(new Posting(symbol, r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3)));
        return list;
    }

    public async Task<IReadOnlyDictionary<string, ReconciliationCheckpoint>> ReadCheckpointsAsync(CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, "SELECT symbol, sequence_nr, trade_id FROM reconciliation_checkpoints");
        var map = new Dictionary<string, ReconciliationCheckpoint>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false)) map[r.GetString(0)] = new ReconciliationCheckpoint(r.GetString(0), r.GetInt64(1), r.GetInt64(2));
        return map;
    }

    /// <summary>
    /// Records a run in the audit table (its id is assigned here and returned), answers the request that asked for
    /// it, and moves the checkpoints when given — one transaction, fenced by the reconciliation singleton's lease.
    /// </summary>
    public async Task<long> RecordRunAsync(ReconciliationRun run, string? requestId, IReadOnlyList<ReconciliationCheckpoint> checkpoints, ILedgerFence? fence,
        CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        long id;
        await using (var max = Command(c, tx, "SELECT COALESCE(MAX(run_id), 0) FROM reconciliation_runs"))
            id = Convert.ToInt64(await max.ExecuteScalarAsync(cancellation).ConfigureAwait(false)) + 1;
        await using (var insert = Command(c, tx, """
            INSERT INTO reconciliation_runs (run_id, trigger_kind, scope, started_at, finished_at, window_from, window_to, trades_checked, missing,
                replayed, mismatched, extra, imbalanced_assets, position_breaks, outcome, details)
            VALUES (@id, @tr, @sc, @st, @fi, @wf, @wt, @tc, @mi, @re, @mm, @ex, @ia, @pb, @ou, @de)
            """, ("id", id), ("tr", run.Trigger), ("sc", run.Scope), ("st", run.StartedAt), ("fi", run.FinishedAt), ("wf", run.WindowFrom),
            ("wt", run.WindowTo), ("tc", run.TradesChecked), ("mi", run.Missing), ("re", run.Replayed), ("mm", run.Mismatched), ("ex", run.Extra),
            ("ia", run.ImbalancedAssets), ("pb", run.PositionBreaks), ("ou", run.Outcome), ("de", run.Details)))
            await insert.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        if (requestId is not null)
            await using (var answer = Command(c, tx, "UPDATE reconciliation_requests SET run_id = @id WHERE request_id = @r", ("id", id), ("r", requestId)))
                await answer.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        await using (var up = Command(c, tx, """
            INSERT INTO reconciliation_checkpoints (symbol, sequence_nr, trade_id) VALUES (@s, @q, @t)
            ON CONFLICT (symbol) DO UPDATE SET sequence_nr = excluded.sequence_nr, trade_id = excluded.trade_id
            """, ("s", ""), ("q", 0L), ("t", 0L)))
            foreach (var cp in checkpoints)
            {
                up.Parameters[0].Value = cp.Symbol;
                up.Parameters[1].Value = cp.SequenceNr;
                up.Parameters[2].Value = cp.TradeId;
                await up.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
            }
        if (fence is not null) await fence.ProveAsync(c, tx, cancellation).ConfigureAwait(false);
        await tx.CommitAsync(cancellation).ConfigureAwait(false);
        return id;
    }

    /// <summary>The latest runs, newest first, or one run by id.</summary>
    public async Task<IReadOnlyList<ReconciliationRun>> ReadRunsAsync(int limit, long? runId = null, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, $"""
            SELECT run_id, trigger_kind, scope, started_at, finished_at, window_from, window_to, trades_checked, missing, replayed, mismatched, extra,
                imbalanced_assets, position_breaks, outcome, details
            FROM reconciliation_runs {(runId is null ? "" : "WHERE run_id = @id")} ORDER BY run_id DESC LIMIT @n
            """, [.. runId is null ? Array.Empty<(string, object)>() : [("id", runId.Value)], ("n", (long)limit)]);
        var list = new List<ReconciliationRun>();
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            list.Add(new ReconciliationRun(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6),
                r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11), r.GetInt64(12), r.GetInt64(13), r.GetString(14), r.GetString(15)));
        return list;
    }

    /// <summary>Asks the reconciliation singleton, wherever it runs, for a run (it polls the requests).</summary>
    public async Task RequestRunAsync(string requestId, string scope, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, "INSERT INTO reconciliation_requests (request_id, scope, requested_at) VALUES (@r, @s, @t)",
            ("r", requestId), ("s", scope), ("t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>The oldest unanswered request, if any.</summary>
    public async Task<(string RequestId, string Scope)?> NextRequestAsync(CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, "SELECT request_id, scope FROM reconciliation_requests WHERE run_id IS NULL ORDER BY requested_at LIMIT 1");
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        return await r.ReadAsync(cancellation).ConfigureAwait(false) ? (r.GetString(0), r.GetString(1)) : null;
    }

    /// <summary>The run that answered a request, once there is one.</summary>
    public async Task<long?> RunOfRequestAsync(string requestId, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = Command(c, null, "SELECT run_id FROM reconciliation_requests WHERE request_id = @r", ("r", requestId));
        return await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false) is long id ? id : null;
    }

    protected static string SideText(Side side) => side == Side.Buy ? "buy" : "sell";

    /// <summary>A command with named parameters (<c>@name</c>, understood by both providers), bound in order.</summary>
    public static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public abstract ValueTask DisposeAsync();
}
