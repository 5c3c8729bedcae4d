namespace AkkaExchange.LoadTest;

/// <summary>
/// Looks up every acknowledged order through the exchange's API, in batches, several at once. An order the
/// exchange cannot show is lost; a batch that cannot be looked up at all counts as lookup errors (not proven
/// either way) and fails the run too.
/// </summary>
/// <remarks>400 keys a batch keep the lookup request under the API's 64 KiB body limit.</remarks>
public sealed class Verifier(IOrderLookup lookup, int batchSize = 400, int parallelism = 8)
{
    public async Task<VerificationResult> VerifyAsync(IReadOnlyList<AckedOrder> orders, CancellationToken cancellation)
    {
        long lost = 0, errors = 0;
        var samples = new List<AckedOrder>();
        var batches = orders.Chunk(batchSize).ToArray();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellation },
            async (batch, ct) =>
            {
                IReadOnlyList<bool> found;
                try
                {
                    found = await lookup.FindAsync(batch, ct);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    Interlocked.Add(ref errors, batch.Length);
                    return;
                }
                for (var i = 0; i < batch.Length; i++)
                {
                    if (found[i]) continue;
                    Interlocked.Increment(ref lost);
                    lock (samples) if (samples.Count < 20) samples.Add(batch[i]);
                }
            });
        return new VerificationResult(orders.Count, lost, errors, samples);
    }
}
