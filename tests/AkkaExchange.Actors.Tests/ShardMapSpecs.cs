using AkkaExchange.Actors.Symbols;

namespace AkkaExchange.Actors.Tests;

public sealed class ShardMapSpecs
{
    /// <summary>Every node must agree forever: the values are FNV-1a of the UTF-8 bytes mod 64, computed independently.</summary>
    [Theory]
    [InlineData("AAPL", 11)]
    [InlineData("MSFT", 51)]
    [InlineData("S042", 28)]
    [InlineData("ÄBC", 57)]
    public void A_symbol_maps_to_the_same_shard_everywhere(string symbol, int shard) =>
        Assert.Equal(shard, new ShardMap(64).ShardOf(symbol));

    [Fact]
    public void Long_symbols_past_the_stack_buffer_hash_the_same_way() =>
        Assert.Equal(21, new ShardMap(64).ShardOf(new string('X', 500)));
}
