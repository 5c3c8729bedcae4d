namespace AkkaExchange.Actors.Kernel;

/// <summary>A message in a mailbox, with where its reply goes (null for a tell).</summary>
public readonly record struct Envelope(object Message, TaskCompletionSource<object?>? ReplyTo)
{
    public void Reply(object? value) => ReplyTo?.TrySetResult(value);

    public void Fail(Exception error) => ReplyTo?.TrySetException(error);
}
