using System.Data.Common;
using AkkaExchange.Actors.Settlement.Ledger;
using Npgsql;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// Proves in a ledger transaction that this node still holds its singleton's lease (<see cref="LeaseSql.HeldSql"/>),
/// so a singleton that lost it — its node frozen or cut off while another took over — commits nothing.
/// </summary>
public sealed class SingletonLeaseFence(string leaseName, string owner, int presenceKey) : ILedgerFence
{
    public string LeaseName { get; } = leaseName;

    public async Task ProveAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellation)
    {
        await using var cmd = new NpgsqlCommand(LeaseSql.HeldSql("$1", "$2", "$3"), (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = LeaseName });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = presenceKey });
        if (await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false) is null)
            throw new LeaseLostException($"lease {LeaseName} is no longer held by {owner}");
    }
}
