namespace AkkaExchange.Node.Hosting;

/// <summary>
/// Holds <c>node.lock</c> in an embedded node's data directory for the life of the process (an exclusive file lock,
/// released by the kernel when the process ends however it ends), so that a second node on the same directory stops
/// at start with a clear reason instead of writing the same journal.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private FileStream? _held;

    /// <summary>Takes the lock; throws <see cref="DataDirectoryInUseException"/> when another process holds it.</summary>
    public void Acquire(string directory)
    {
        var path = Path.Combine(directory, "node.lock");
        try
        {
            // FileShare.None is an exclusive advisory lock on Unix (flock): a second opener fails.
            _held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new DataDirectoryInUseException($"data directory {directory} is in use by another node; give each node its own --data-dir");
        }
    }

    public void Dispose() => _held?.Dispose();
}
