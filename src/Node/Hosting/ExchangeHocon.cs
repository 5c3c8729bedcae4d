using System.Globalization;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Serialization;
using AkkaExchange.Node.Cluster;

namespace AkkaExchange.Node.Hosting;

/// <summary>
/// The Akka.NET configuration of a node that is not options of Akka.Hosting: serializers, persistence plugins, the
/// cluster's timings, sharding, downing, the PostgreSQL lease and discovery. Secrets never go in here (connection
/// strings come as setups). Each choice that departs from Akka's defaults says why.
/// </summary>
public static class ExchangeHocon
{
    /// <summary>The node's configuration; Akka.Persistence.Sql's reference configuration is its fallback (the plugin does not inject it).</summary>
    public static string Build(NodeSettings s)
    {
        var o = s.Options;
        var postgres = o.Journal == "postgres";
        var provider = postgres ? "PostgreSQL.15" : "SQLite.MS";
        var mapping = postgres ? "postgresql" : "sqlite";
        var schema = postgres ? $"{mapping}.schema-name = {Quote(o.PostgresSchema)}" : "";
        var leaseTtl = Duration(o.LeaseTtl);
        var renew = Duration(o.RenewInterval);
        var lease = o.Cluster ? PostgresLease.ConfigPath : "";
        return SerializationConfig.Hocon() + $$"""
            akka {
              loglevel = INFO
              log-dead-letters = 10
              log-dead-letters-during-shutdown = off
              remote.dot-netty.tcp {
                # Book views and trade lists of up to 1,000 entries cross nodes.
                maximum-frame-size = 4194304b
                send-buffer-size = 4194304b
                receive-buffer-size = 4194304b
              }
              cluster {
                roles = [{{string.Join(", ", new[] { "exchange", NodeSettings.NodeRole(o.NodeId), NodeSettings.ApiRole(s.AdvertiseUrl) }.Select(Quote))}}]
                min-nr-of-members = 1
                # Heartbeats, gossip and failure detection on threads of their own: on the shared thread pool a busy node
                # sent its heartbeats late (1.3-1.8 s) and its peers marked it unreachable in the middle of a run.
                use-dispatcher = akkaexchange.cluster-dispatcher
                # Faster than the defaults (1 s): a downed node is removed, and its shards move, within a few hundred ms.
                gossip-interval = 300ms
                leader-actions-interval = 300ms
                unreachable-nodes-reaper-interval = 300ms
                # A downed member is removed only once it is also unreachable (gossip convergence): detect a dead peer in
                # about 2.5 s instead of 5. A false alarm costs nothing by itself — downing still needs the presence lock
                # gone (PresenceDowning) or the split-brain lease (stable-after below).
                failure-detector {
                  heartbeat-interval = 500ms
                  acceptable-heartbeat-pause = 2s
                }
                run-coordinated-shutdown-when-down = on
                # With the split-brain resolver this margin defaults to stable-after: singletons and shards of a removed
                # node would wait that long before starting elsewhere, in case the node still runs them. Here a node that
                # still runs them cannot write (PostgreSQL leases fence the journal and the ledger), so wait only briefly.
                down-removal-margin = 500ms
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  # lease-majority: in a split, the side that takes the PostgreSQL lease survives and the other downs itself,
                  # so two equal halves (or a frozen node and the rest) never both keep serving.
                  active-strategy = {{(o.Cluster ? "lease-majority" : "keep-majority")}}
                  stable-after = {{Duration(o.DowningStableAfter)}}
                  lease-majority {
                    lease-implementation = "{{lease}}"
                    acquire-lease-delay-for-minority = 1s
                  }
                }
                pub-sub.gossip-interval = 300ms
                singleton.hand-over-retry-interval = 300ms
                singleton-proxy.singleton-identification-interval = 300ms
                sharding {
                  # Every symbol stays in memory where its shard lives: a book is not passivated.
                  passivate-idle-entity-after = off
                  # The symbols are a fixed list that SymbolKeeper starts wherever their shards are, so there are no
                  # remembered entities to read before a moved shard serves. Allocation state is replicated in memory
                  # (ddata): the coordinator does not write a journal row for each allocation (64 writes at start-up).
                  remember-entities = off
                  state-store-mode = ddata
                  handoff-timeout = 30s
                  rebalance-interval = 2s
                  retry-interval = 300ms
                  coordinator-failure-backoff = 1s
                  shard-failure-backoff = 1s
                  entity-restart-backoff = 1s
                  waiting-for-state-timeout = 2s
                  updating-state-timeout = 5s
                  shard-region-query-timeout = 2s
                  # Plain majorities: the default "+3/+5" means every known node while the cluster is small, so one dead
                  # node still counted by the replicator stalls each allocation for updating-state-timeout.
                  coordinator-state {
                    write-majority-plus = 0
                    read-majority-plus = 0
                  }
                  least-shard-allocation-strategy {
                    rebalance-absolute-limit = 32
                    rebalance-relative-limit = 0.5
                  }
                  use-lease = "{{lease}}"
                  lease-retry-interval = 300ms
                }
              }
              persistence {
                max-concurrent-recoveries = 128
                journal {
                  plugin = "akka.persistence.journal.sql"
                  sql {
                    provider-name = "{{provider}}"
                    table-mapping = {{mapping}}
                    {{schema}}
                    # PostgreSQL: SchemaInitializer has created the table (with the fence trigger) before Akka starts. The
                    # plugin's own initialization would run again on every start and, on a busy server, outlast the 5 s
                    # the query side waits for it (SqlReadJournal's constructor), failing the node's start.
                    auto-initialize = {{(postgres ? "off" : "on")}}
                    tag-write-mode = Csv
                    {{JournalTuning.Hocon(postgres)}}
                  }
                }
                snapshot-store {
                  plugin = "akka.persistence.snapshot-store.sql"
                  sql {
                    provider-name = "{{provider}}"
                    table-mapping = {{mapping}}
                    {{schema}}
                    # PostgreSQL: created by SchemaInitializer (JournalTables), like the journal; a replica takes no DDL.
                    auto-initialize = {{(postgres ? "off" : "on")}}
                    {{JournalTuning.ReadIsolation(postgres)}}
                  }
                }
                query.journal.sql {
                  {{JournalTuning.ReadIsolation(postgres)}}
                  provider-name = "{{provider}}"
                  table-mapping = {{mapping}}
                  {{schema}}
                  tag-read-mode = Csv
                  # Settlement follows each symbol's journal, one query per symbol per poll (ExchangeOptions.SettlementPoll).
                  refresh-interval = {{Duration(o.SettlementPoll)}}
                }
              }
            }
            akkaexchange.cluster-dispatcher {
              type = ForkJoinDispatcher
              throughput = 100
              dedicated-thread-pool {
                thread-count = 2
                threadtype = background
              }
            }
            akkaexchange.postgres-lease {
              lease-class = "{{typeof(PostgresLease).FullName}}, {{typeof(PostgresLease).Assembly.GetName().Name}}"
              heartbeat-timeout = {{leaseTtl}}
              heartbeat-interval = {{renew}}
              lease-operation-timeout = 5s
            }
            """;
    }

    /// <summary>
    /// Cluster mode: how a node finds the others before it is a member — Akka.Discovery (config: the SeedContacts; or
    /// the Kubernetes API) feeding Akka.Management's Cluster Bootstrap, whose contact points are the nodes' own HTTP
    /// servers (<see cref="SeedNodesEndpoint"/>): join a cluster a contact reports, else the lowest contact forms one.
    /// </summary>
    public static string Bootstrap(NodeSettings s)
    {
        var o = s.Options;
        // host:port; a URL is accepted too (its scheme and path dropped) since that is how operators write HTTP addresses.
        var contacts = (o.SeedContacts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => Uri.TryCreate(c, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u.Authority : c);
        // Kubernetes: the pods' container port named "http" is each contact point (every pod listens on the same port).
        var kubernetes = o.Discovery == "kubernetes-api";
        return $$"""
            akka.discovery {
              method = {{o.Discovery}}
              config.services.{{ServiceName}}.endpoints = [{{string.Join(", ", contacts.Select(Quote))}}]
              # Akka.Discovery.KubernetesApi's settings, served by our implementation (KubernetesPodDiscovery says why).
              kubernetes-api {
                class = {{Quote(typeof(KubernetesPodDiscovery).AssemblyQualifiedName!)}}
                pod-label-selector = {{Quote(o.KubernetesPodSelector)}}
                pod-namespace = {{Quote(o.KubernetesNamespace ?? "")}}
                pod-namespace-path = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"
                api-token-path = {{Quote(o.KubernetesTokenPath)}}
                api-ca-path = {{Quote(o.KubernetesCaPath)}}
                api-service-host-env-name = KUBERNETES_SERVICE_HOST
                api-service-port-env-name = KUBERNETES_SERVICE_PORT
              }
            }
            akka.management.cluster.bootstrap {
              new-cluster-enabled = on
              contact-point-discovery {
                service-name = {{ServiceName}}
                discovery-method = akka.discovery
                {{(kubernetes ? "port-name = http" : "")}}
                # The lowest of this many listed contacts may form a new cluster, once every contact that answers agrees.
                required-contact-point-nr = {{o.BootstrapContactPoints}}
                stable-margin = 1s
                interval = 500ms
              }
              contact-point {
                # The contacts are HTTP servers on different ports (on one host in tests): keep them all.
                fallback-port = {{new Uri(s.AdvertiseUrl).Port}}
                filter-on-fallback-port = false
                probe-interval = 500ms
                probing-failure-timeout = 2s
              }
            }
            """;
    }

    /// <summary>The service name nodes are discovered under.</summary>
    public const string ServiceName = "akkaexchange";

    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string Duration(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
