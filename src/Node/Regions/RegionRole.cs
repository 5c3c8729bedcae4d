namespace AkkaExchange.Node.Regions;

/// <summary>What a node's region does now; only <see cref="Single"/> and <see cref="Active"/> take orders.</summary>
public enum RegionRole
{
    /// <summary>No regions configured: the one region, always active.</summary>
    Single,

    /// <summary>This region's database is the primary and names this region active: it takes orders.</summary>
    Active,

    /// <summary>This region's database is a replica, or names another region active: orders get 503.</summary>
    Standby,

    /// <summary>
    /// Started since the last region change and no peer region has answered yet: a region that was down may have lost
    /// a failover it cannot see, so it waits to hear from a peer (or to be failed over to) before it takes orders.
    /// </summary>
    Waiting,

    /// <summary>A peer region holds a higher epoch: this region lost a failover and takes no order until it is re-made a standby.</summary>
    Fenced,
}
