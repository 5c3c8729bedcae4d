using System.Data.Common;

namespace AkkaExchange.Actors.Settlement.Ledger;

/// <summary>
/// Proves, inside a ledger transaction and last before its commit, that the writer may still write — in a cluster,
/// that the singleton's lease is still held by this node. It holds what it checked until the commit, so that a
/// takeover waits for the commit. Throws <see cref="LeaseLostException"/> when the proof fails.
/// </summary>
public interface ILedgerFence
{
    Task ProveAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellation);
}
