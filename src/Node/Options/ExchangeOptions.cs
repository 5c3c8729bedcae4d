using System.ComponentModel.DataAnnotations;

namespace AkkaExchange.Node.Options;

/// <summary>
/// The node's settings, bound once from the "Exchange" configuration section (and the command-line switches
/// in <see cref="CommandLineSwitches"/>) and validated at start-up: a bad value stops the node with a message.
/// </summary>
public sealed class ExchangeOptions : IValidatableObject
{
    public const string Section = "Exchange";

    /// <summary>Comma-separated symbols to list; default: 100 Nasdaq-100 tickers.</summary>
    public string Symbols { get; set; } = string.Join(',', NasdaqSymbols.Default);

    /// <summary>Directory of the embedded journal (relative paths resolve against the working directory).</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>"sqlite" (embedded, default) or "postgres".</summary>
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Journal must be sqlite or postgres")]
    public string Journal { get; set; } = "sqlite";

    /// <summary>Npgsql connection string; required when <see cref="Journal"/> is postgres. Keep it out of files in the repo.</summary>
    public string? ConnectionString { get; set; }

    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "PostgresSchema must be a lower-case SQL identifier")]
    public string PostgresSchema { get; set; } = "public";

    /// <summary>SQLite durability: FULL survives power loss, NORMAL only process crashes.</summary>
    [RegularExpression("^(FULL|NORMAL|EXTRA)$", ErrorMessage = "SqliteSynchronous must be FULL, NORMAL or EXTRA")]
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>This node's name in the cluster (carried as a role of its member: <c>node:&lt;id&gt;</c>) and in every journal row; default: host name.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$", ErrorMessage = "NodeId must be 1-64 of letters, digits, '_', '.', '-'")]
    public string NodeId { get; set; } = Environment.MachineName;

    [Range(10, 10_000_000)]
    public int SnapshotInterval { get; set; } = 10_000;

    [Range(1, 10_000_000)]
    public int RetainedDoneOrders { get; set; } = 50_000;

    [Range(typeof(decimal), "0.00000001", "1000000")]
    public decimal TickSize { get; set; } = 0.01m;

    [Range(1, 1_000_000)]
    public long LotSize { get; set; } = 1;

    [Range(1, 1_000_000_000)]
    public long MaxQuantity { get; set; } = 1_000_000;

    /// <summary>
    /// Cluster mode: an Akka.NET cluster of nodes sharing one PostgreSQL (journal, snapshots, ledger, leases); symbols
    /// sharded over the nodes. Off: a one-node cluster on SQLite that joins itself.
    /// </summary>
    public bool Cluster { get; set; }

    /// <summary>Number of shards symbols are hashed into; must be the same on every node of a cluster.</summary>
    [Range(1, 4096)]
    public int Shards { get; set; } = 64;

    /// <summary>
    /// How long a lease (of a shard, a singleton, the split brain resolver) lasts without renewal. A node whose process
    /// died frees its leases at once (its PostgreSQL presence session ends); a frozen or cut-off node loses them after
    /// at most this long, and its journal writes are refused from then on. Shorter means faster hand-over in that case,
    /// but a node stalled longer than this loses its shards.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.300", "00:01:00")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a node renews its leases (on its own thread and PostgreSQL session) and checks who died.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:20")]
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long the split brain resolver waits for a stable view before it downs unreachable nodes (frozen or cut off;
    /// a node whose process died is downed at once through its presence session).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan DowningStableAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The HTTP address other nodes and tools use to reach this node; default: the first of --urls.</summary>
    public string? AdvertiseUrl { get; set; }

    /// <summary>
    /// Cluster mode: how nodes find each other before they form or join the cluster (Akka.Discovery): "config" (the
    /// HTTP addresses in <see cref="SeedContacts"/>) or "kubernetes-api" (pods with the exchange's label).
    /// </summary>
    [RegularExpression("^(config|kubernetes-api)$", ErrorMessage = "Discovery must be config or kubernetes-api")]
    public string Discovery { get; set; } = "config";

    /// <summary>
    /// Cluster mode: how many nodes discovery must list before the lowest of them may form a new cluster (Cluster
    /// Bootstrap's required-contact-point-nr). 1 suits the local scripts, whose nodes start one after another; where
    /// nodes start together (a StatefulSet), set the replica count, or two nodes that each see only themselves at first
    /// could each form a cluster.
    /// </summary>
    [Range(1, 1000)]
    public int BootstrapContactPoints { get; set; } = 1;

    /// <summary>Cluster mode with config discovery: the nodes' HTTP addresses (host:port, comma-separated), this node's included.</summary>
    public string? SeedContacts { get; set; }

    /// <summary>
    /// Kubernetes discovery: the label selector of the exchange's pods in one region (discovery lists the running pods
    /// it matches, and Cluster Bootstrap contacts them at their container port named <c>http</c>).
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9./_=,!() -]{1,256}$", ErrorMessage = "KubernetesPodSelector must be a Kubernetes label selector (e.g. app.kubernetes.io/name=akkaexchange)")]
    public string KubernetesPodSelector { get; set; } = "app.kubernetes.io/name=akkaexchange";

    /// <summary>Kubernetes discovery: the pods' namespace; default: the pod's own (its service account's namespace file).</summary>
    [RegularExpression("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", ErrorMessage = "KubernetesNamespace must be a Kubernetes namespace name")]
    public string? KubernetesNamespace { get; set; }

    /// <summary>Kubernetes discovery: the service account token the API is called with (the path Kubernetes mounts it at).</summary>
    public string KubernetesTokenPath { get; set; } = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /// <summary>
    /// Where this node writes its backups (encrypted; docs/runbooks/backup-restore.md). Unset: no backups. Embedded
    /// nodes copy their SQLite databases; cluster nodes take PostgreSQL base backups (pg_basebackup), beside the WAL
    /// archive the database's <c>archive_command</c> writes here (<c>akkaex backup wal-push</c>).
    /// </summary>
    public string? BackupDirectory { get; set; }

    /// <summary>Where pg_basebackup is (cluster backups); default: the PATH, else the newest /usr/lib/postgresql/*/bin.</summary>
    public string? PostgresBinDirectory { get; set; }

    /// <summary>The backup key: a file holding 32 random bytes in base64 (a mounted secret). Required with <see cref="BackupDirectory"/>.</summary>
    public string? BackupKeyFile { get; set; }

    /// <summary>
    /// A second location every backup (and the WAL archived beside it) is copied to, still encrypted: a directory, or
    /// an S3 bucket as <c>s3://bucket/prefix</c> (credentials and region from the AWS SDK's usual sources).
    /// </summary>
    public string? BackupCopyDirectory { get; set; }

    /// <summary>
    /// How often the node takes a backup by itself; 0 (default): only when asked (<c>akkaex backup create</c>). In a
    /// cluster only the oldest member takes the scheduled ones (where the singletons run), so give every node the same settings.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan BackupInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Retention: the newest backup of each of this many most recent hours is kept.</summary>
    [Range(0, 10_000)]
    public int BackupKeepHourly { get; set; } = 24;

    /// <summary>Retention: the newest backup of each of this many most recent days is kept.</summary>
    [Range(0, 10_000)]
    public int BackupKeepDaily { get; set; } = 7;

    /// <summary>Kubernetes discovery: the API server's CA certificate (PEM; the path Kubernetes mounts it at).</summary>
    public string KubernetesCaPath { get; set; } = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

    /// <summary>
    /// Cluster mode with regions: this node's region (e.g. <c>A</c>). A region is one cluster with its own PostgreSQL,
    /// the active one's replicated to the others; only the active region takes orders (docs/design/regions.md).
    /// Unset: a single region, always active.
    /// </summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9-]{0,31}$", ErrorMessage = "Region must be a letter then up to 31 letters, digits or '-'")]
    public string? Region { get; set; }

    /// <summary>
    /// With <see cref="Region"/>: the other regions' nodes as <c>name=http://host:port</c>, comma-separated (a name may
    /// repeat, one entry per node). A node asks them for their region epoch: a region that lost a failover learns it
    /// from them, and a node that starts does not take orders before one of them has answered.
    /// </summary>
    public string? PeerRegions { get; set; }

    /// <summary>
    /// Cluster mode: the cluster certificate (PKCS#12 file) every node presents on Akka.Remote (mutual TLS); a peer that
    /// does not present it is refused. Its password comes from <see cref="ClusterCertificatePassword"/>.
    /// </summary>
    public string? ClusterCertificate { get; set; }

    /// <summary>The cluster certificate's password; pass it in the environment (Exchange__ClusterCertificatePassword).</summary>
    public string? ClusterCertificatePassword { get; set; }

    /// <summary>Port of Akka.Remote, on the advertised host; 0: the HTTP port + 1000 in a cluster, any free port embedded.</summary>
    [Range(0, 65535)]
    public int TransportPort { get; set; }

    /// <summary>Bearer token of the admin API (<c>/admin/v1</c>); without one the admin API refuses every call. Pass it in the environment.</summary>
    public string? AdminToken { get; set; }

    /// <summary>A file holding the PostgreSQL connection string (a mounted secret); used when ConnectionString is not set.</summary>
    public string? ConnectionStringFile { get; set; }

    /// <summary>
    /// File of the members' hashed API keys (<c>MEMBER sha256:HEX</c> per line; see <c>MemberKeys</c>). Without it
    /// the node is open — anyone who reaches it acts for any account — which it allows on loopback addresses only.
    /// </summary>
    public string? MemberKeysFile { get; set; }

    /// <summary>WebSocket sessions of every kind this node keeps at once; more are refused with 503.</summary>
    [Range(1, 1_000_000)]
    public int MaxSessions { get; set; } = 1_000;

    /// <summary>Messages a second one order-entry session may send; more are answered 429, each.</summary>
    [Range(1, 10_000_000)]
    public int MaxMessagesPerSecondPerSession { get; set; } = 20_000;

    /// <summary>How long an API request waits for its symbol's reply.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Commission each side of a trade pays its broker, in basis points of the notional.</summary>
    [Range(0, 1_000)]
    public int BrokerFeeBps { get; set; } = 2;

    /// <summary>Fee each side of a trade pays the exchange, in basis points of the notional.</summary>
    [Range(0, 1_000)]
    public int ExchangeFeeBps { get; set; } = 1;

    /// <summary>Time between scheduled reconciliation runs (each covers the trades since the last clean run).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconciliationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often settlement asks each symbol's journal for new rows (Akka.Persistence.Query's live
    /// <c>refresh-interval</c>): a trade is settled at most about this long after its commit. Each poll is one query
    /// per symbol, so a short poll costs the node CPU whether or not anything traded (docs/benchmarks.md).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan SettlementPoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Fault injection for tests and drills only: the share of trades the settlement projection skips as if their
    /// delivery had been lost, for reconciliation to find and replay. Keep 0 in production.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SettlementDropRate { get; set; }

    /// <summary>The symbols as a validated list.</summary>
    public IReadOnlyList<string> SymbolList() =>
        Symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var symbols = SymbolList();
        if (symbols.Count == 0) yield return new ValidationResult("Symbols must list at least one symbol");
        foreach (var s in symbols.Where(s => !System.Text.RegularExpressions.Regex.IsMatch(s, "^[A-Z][A-Z0-9.]{0,11}$")))
            yield return new ValidationResult($"symbol '{s}' must be 1-12 upper-case letters, digits or '.'");
        if (symbols.Distinct().Count() != symbols.Count) yield return new ValidationResult("Symbols lists a symbol twice");
        if (Cluster && Journal != "postgres")
            yield return new ValidationResult("Cluster mode needs the postgres journal (--journal postgres): it holds the journal, the ledger and the leases");
        if (Cluster && RenewInterval * 3 > LeaseTtl)
            yield return new ValidationResult("RenewInterval must be at most a third of LeaseTtl, or a healthy node would lose its shards");
        if (Cluster && string.IsNullOrWhiteSpace(ClusterCertificate))
            yield return new ValidationResult("Cluster mode needs ClusterCertificate (--cluster-certificate, a PKCS#12 file shared by the nodes) for Akka.Remote's mutual TLS");
        if (Cluster && ClusterCertificate is { Length: > 0 } certificate && !File.Exists(certificate))
            yield return new ValidationResult($"ClusterCertificate {certificate} does not exist");
        if (Cluster && Discovery == "config" && string.IsNullOrWhiteSpace(SeedContacts))
            yield return new ValidationResult("Cluster mode with config discovery needs SeedContacts (--seed-contacts host:port,...: the nodes' HTTP addresses)");
        if (Region is not null && !Cluster)
            yield return new ValidationResult("Region needs cluster mode (--cluster true --journal postgres): a region's journal is replicated PostgreSQL");
        if (PeerRegions is { Length: > 0 } && Region is null)
            yield return new ValidationResult("PeerRegions needs Region (--region): the node's own region");
        foreach (var peer in (PeerRegions ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (peer.Split('=', 2) is not [{ Length: > 0 } name, var url] || !Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                yield return new ValidationResult($"PeerRegions entry '{peer}' must be name=http://host:port");
            else if (string.Equals(name, Region, StringComparison.OrdinalIgnoreCase))
                yield return new ValidationResult($"PeerRegions names this node's own region {Region}");
        if (BackupDirectory is { Length: > 0 } && BackupKeyFile is not { Length: > 0 })
            yield return new ValidationResult("BackupDirectory needs BackupKeyFile (--backup-key-file: a file holding 32 random bytes in base64)");
        if (BackupKeyFile is { Length: > 0 } key && !File.Exists(key))
            yield return new ValidationResult($"BackupKeyFile {key} does not exist");
        if (AdminToken is { Length: > 0 and < 16 })
            yield return new ValidationResult("AdminToken must be at least 16 characters");
        if (Journal == "postgres" && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult("ConnectionString is required when Journal is postgres (Exchange__ConnectionString, or Exchange__ConnectionStringFile naming a file that holds it)");
        if (ConnectionStringFile is { Length: > 0 } file && !File.Exists(file))
            yield return new ValidationResult($"ConnectionStringFile {file} does not exist");
    }
}
