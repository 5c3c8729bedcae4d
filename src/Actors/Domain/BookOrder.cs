using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>
/// A working order inside an <see cref="OrderBook"/>: a mutable, pooled node of its price level's FIFO list.
/// Never handed out of the book; views copy it into <see cref="RestingOrderState"/>.
/// Invariant: <c>Filled + Leaves + Cancelled == Quantity</c>, with <c>Leaves &gt; 0</c> while it is in the book.
/// </summary>
internal sealed class BookOrder
{
    public long OrderId;
    public string Account = "";
    public string ClientOrderId = "";
    public Side Side;
    public OrderType Type;
    public TimeInForce TimeInForce;
    public bool PostOnly;
    public long Price;
    public long Quantity;
    public long Filled;
    public long Cancelled;
    public long Timestamp;
    public long PrioritySequence;
    public PriceLevel? Level;
    public BookOrder? Prev;
    public BookOrder? Next;

    public long Leaves => Quantity - Filled - Cancelled;

    public void Reset()
    {
        Account = "";
        ClientOrderId = "";
        Level = null;
        Prev = null;
        Next = null;
        Filled = 0;
        Cancelled = 0;
    }
}
