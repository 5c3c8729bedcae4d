using System.Text;

namespace AkkaExchange.Actors.Serialization;

/// <summary>
/// The HOCON that binds the exchange's serializers: every message of ours that crosses the wire, the journal or a
/// snapshot store goes through one of them, never through a default (JSON) serializer.
/// </summary>
public static class SerializationConfig
{
    /// <summary>Serializers of the exchange, with the types each is bound to.</summary>
    public static readonly IReadOnlyList<(string Name, Type Serializer, int Id, IReadOnlyList<Type> Types)> Serializers =
    [
        ("exchange-wire", typeof(WireSerializer), WireSerializer.Id, WireSerializer.Types),
        ("exchange-symbol", typeof(SymbolEntitySerializer), SymbolEntitySerializer.Id, SymbolEntitySerializer.Types),
        ("exchange-settlement", typeof(Settlement.SettlementSerializer), Settlement.SettlementSerializer.Id, Settlement.SettlementSerializer.Types),
    ];

    public static string Hocon()
    {
        var all = Serializers;
        var hocon = new StringBuilder("akka.actor {\n  serializers {\n");
        foreach (var s in all) hocon.Append($"    {s.Name} = \"{Name(s.Serializer)}\"\n");
        hocon.Append("  }\n  serialization-bindings {\n");
        foreach (var s in all)
            foreach (var t in s.Types) hocon.Append($"    \"{Name(t)}\" = {s.Name}\n");
        hocon.Append("  }\n  serialization-identifiers {\n");
        foreach (var s in all) hocon.Append($"    \"{Name(s.Serializer)}\" = {s.Id}\n");
        return hocon.Append("  }\n}\n").ToString();
    }

    private static string Name(Type t) => $"{t.FullName}, {t.Assembly.GetName().Name}";
}
