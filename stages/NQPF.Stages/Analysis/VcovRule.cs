using NQPF.Econometrics;

namespace NQPF.Stages.Analysis;

/// <summary>
/// fixest's rule for the variance of a linear model when the caller does not name one: clustered when cluster
/// variables are given, otherwise iid; asked to cluster without cluster variables, it clusters by the first fixed
/// effect. At most two cluster variables (one- or two-way clustering).
/// </summary>
internal static class VcovRule
{
    /// <param name="requested">"iid", "hetero", "cluster", or null for the default.</param>
    /// <returns>The vcov kind and the cluster variables it uses; an error message instead when the request is contradictory.</returns>
    public static (VcovKind Kind, IReadOnlyList<string> Clusters, string? Error) Resolve(
        string? requested, IReadOnlyList<string> clusters, IReadOnlyList<string> fixedEffects)
    {
        var kind = requested switch
        {
            "iid" => VcovKind.Iid,
            "hetero" => VcovKind.Hetero,
            "cluster" => VcovKind.Cluster,
            _ => clusters.Count > 0 ? VcovKind.Cluster : VcovKind.Iid,
        };
        if (kind == VcovKind.Cluster && clusters.Count == 0)
        {
            if (fixedEffects.Count == 0)
                return (kind, clusters, "--vcov cluster needs --cluster (or --fe, whose first variable is then the cluster).");
            clusters = [fixedEffects[0]];
        }
        if (kind != VcovKind.Cluster && clusters.Count > 0)
            return (kind, clusters, $"--cluster is given but --vcov is {requested}.");
        return clusters.Count > 2 ? (kind, clusters, "--cluster takes one or two variables.") : (kind, clusters, null);
    }
}
