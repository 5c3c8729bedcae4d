using System.Buffers;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Messages.Codec;

namespace AkkaExchange.Actors.Settlement;

/// <summary>
/// Akka serializer of the settlement and reconciliation singletons' messages (they may be asked from any node
/// through a singleton proxy): status queries and replies, run requests and the runs they produce.
/// </summary>
public sealed class SettlementSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 7303;
    private const string GetStatus = "GS", Status = "SS", Run = "RR", RunResult = "RN";

    /// <summary>Every type this serializer is bound to.</summary>
    public static readonly IReadOnlyList<Type> Types = [typeof(GetSettlementStatus), typeof(SettlementStatus), typeof(RunReconciliation), typeof(ReconciliationRun)];

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        GetSettlementStatus => GetStatus,
        SettlementStatus => Status,
        RunReconciliation => Run,
        ReconciliationRun => RunResult,
        _ => throw new SerializationException($"{nameof(SettlementSerializer)} does not handle {o.GetType().Name}"),
    };

    public override byte[] ToBinary(object obj)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var w = new PayloadWriter(buffer);
        switch (obj)
        {
            case GetSettlementStatus:
                break;
            case SettlementStatus s:
                w.Long(s.TradesSettled); w.Long(s.TradesDropped); w.Long(s.LastLagMicros); w.Long(s.OffsetTotal);
                break;
            case RunReconciliation r:
                w.String(r.Scope); w.String(r.Trigger);
                break;
            case ReconciliationRun r:
                w.Long(r.RunId); w.String(r.Trigger); w.String(r.Scope); w.Long(r.StartedAt); w.Long(r.FinishedAt); w.Long(r.WindowFrom);
                w.Long(r.WindowTo); w.Long(r.TradesChecked); w.Long(r.Missing); w.Long(r.Replayed); w.Long(r.Mismatched); w.Long(r.Extra);
                w.Long(r.ImbalancedAssets); w.Long(r.PositionBreaks); w.String(r.Outcome); w.String(r.Details);
                break;
            default:
                throw new SerializationException($"{nameof(SettlementSerializer)} does not handle {obj.GetType().Name}");
        }
        return buffer.WrittenSpan.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var r = new PayloadReader(bytes);
        object message = manifest switch
        {
            GetStatus => GetSettlementStatus.Instance,
            Status => new SettlementStatus(r.Long(), r.Long(), r.Long(), r.Long()),
            Run => new RunReconciliation(r.String(), r.String()),
            RunResult => new ReconciliationRun(r.Long(), r.String(), r.String(), r.Long(), r.Long(), r.Long(), r.Long(), r.Long(), r.Long(), r.Long(),
                r.Long(), r.Long(), r.Long(), r.Long(), r.String(), r.String()),
            _ => throw new SerializationException($"unknown manifest '{manifest}'"),
        };
        if (!r.End) throw new SerializationException($"trailing bytes after {manifest}");
        return message;
    }
}
