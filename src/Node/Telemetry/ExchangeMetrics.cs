using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using AkkaExchange.Node.Api;
using AkkaExchange.Node.Hosting;
using AkkaExchange.Node.Regions;

namespace AkkaExchange.Node.Telemetry;

/// <summary>
/// The node's own series on .NET's metrics API, exported with everything else at <c>/metrics</c> (prometheus-net):
/// order commands by outcome and their latency from the edge to the acknowledgement (recorded by
/// <see cref="SymbolGateway"/>), and gauges read at scrape time — cluster members by status, unreachable members,
/// symbols and shards served here, WebSocket sessions, the region's role, epoch and replication lag. The journal's write
/// latency and batch sizes come from <see cref="Actors.Symbols.JournalMetrics"/>. Each order also goes to the dashboard's
/// <see cref="OrderActivity"/>.
/// </summary>
public sealed class ExchangeMetrics
{
    private readonly Meter _meter = new("akkaex");

    // A Prometheus counter and histogram of its own (prometheus-net's meter adapter exports a .NET counter as a gauge).
    private readonly Prometheus.Counter _orders = Prometheus.Metrics.CreateCounter("akkaex_orders_total",
        "order commands (place, cancel, amend) by outcome", new Prometheus.CounterConfiguration { LabelNames = ["outcome"] });
    private readonly Prometheus.Histogram _orderSeconds = Prometheus.Metrics.CreateHistogram("akkaex_order_duration_seconds",
        "order command latency, request to acknowledgement", new Prometheus.HistogramConfiguration { Buckets = Prometheus.Histogram.ExponentialBuckets(0.0005, 2, 17) });

    private readonly OrderActivity _activity;

    public ExchangeMetrics(IServiceProvider services, NodeSettings settings, LocalSymbols local, SessionLimits sessions, RegionGate region, OrderActivity activity)
    {
        var shards = settings.Shards;
        _activity = activity;
        _meter.CreateObservableGauge("cluster_members", () => Members(services), "{member}", "cluster members by status");
        _meter.CreateObservableGauge("cluster_unreachable", () => Cluster(services)?.State.Unreachable.Count ?? 0, "{member}",
            "members this node's failure detector marks unreachable");
        _meter.CreateObservableGauge("symbols_here", () => local.Count, "{symbol}", "symbols recovered and served on this node");
        _meter.CreateObservableGauge("shards_here", () => local.ShardCount(shards), "{shard}", "shards whose symbols are served on this node");
        _meter.CreateObservableGauge("websocket_sessions", () => sessions.Sessions, "{session}", "WebSocket sessions open on this node");
        _meter.CreateObservableGauge("region_accepts_orders", () => region.AcceptsOrders ? 1 : 0, null, "1 when this node's region takes orders");
        _meter.CreateObservableGauge("region_epoch", () => region.Status.Epoch, null, "the region epoch this node's database holds");
        _meter.CreateObservableGauge("replication_lag_bytes", () => ReplicationLag(region.Status), "By",
            "WAL not yet replayed: on a replica, received but not replayed; on a primary, the furthest standby's");
    }

    /// <summary>Counts an order command's outcome (<c>acknowledged</c>, <c>rejected</c> or <c>error</c>) and, when answered, its latency.</summary>
    public void Order(string outcome, TimeSpan? latency)
    {
        _orders.WithLabels(outcome).Inc();
        if (latency is { } l) _orderSeconds.Observe(l.TotalSeconds);
        _activity.Record(outcome, latency);
    }

    private static Akka.Cluster.Cluster? Cluster(IServiceProvider services) =>
        services.GetService<ActorSystem>() is { } system ? Akka.Cluster.Cluster.Get(system) : null;

    private static IEnumerable<Measurement<int>> Members(IServiceProvider services)
    {
        if (Cluster(services) is not { } cluster) yield break;
        foreach (var group in cluster.State.Members.GroupBy(m => m.Status))
            yield return new Measurement<int>(group.Count(), new KeyValuePair<string, object?>("status", group.Key.ToString().ToLowerInvariant()));
    }

    private static long ReplicationLag(RegionStatus s) => s.ReplayLagBytes ?? (s.Replicas.Count > 0 ? s.Replicas.Max(r => r.LagBytes) : 0);
}
