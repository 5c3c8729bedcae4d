namespace AkkaExchange.Actors.Domain;

/// <summary>
/// All resting orders at one price on one side, in time priority (head first).
/// <see cref="TotalQuantity"/> is the sum of the orders' leaves.
/// </summary>
internal sealed class PriceLevel
{
    public long Price;
    public long TotalQuantity;
    public int Count;
    public BookOrder? Head;
    public BookOrder? Tail;

    public void Append(BookOrder order)
    {
        order.Level = this;
        order.Prev = Tail;
        order.Next = null;
        if (Tail is null) Head = order; else Tail.Next = order;
        Tail = order;
        Count++;
        TotalQuantity += order.Leaves;
    }

    /// <summary>Unlinks an order; <paramref name="leaves"/> is what it still counted for in <see cref="TotalQuantity"/>.</summary>
    public void Remove(BookOrder order, long leaves)
    {
        if (order.Prev is null) Head = order.Next; else order.Prev.Next = order.Next;
        if (order.Next is null) Tail = order.Prev; else order.Next.Prev = order.Prev;
        order.Prev = null;
        order.Next = null;
        order.Level = null;
        Count--;
        TotalQuantity -= leaves;
    }
}
