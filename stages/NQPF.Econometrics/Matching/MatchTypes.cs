namespace NQPF.Econometrics.Matching;

/// <summary>Order in which treated units pick their controls in greedy matching (MatchIt's <c>m.order</c>).</summary>
internal enum MatchOrder
{
    /// <summary>Descending distance (MatchIt's default for a propensity score).</summary>
    Largest,
    /// <summary>Ascending distance.</summary>
    Smallest,
    /// <summary>Data order.</summary>
    Data,
}

/// <summary>How a treated unit chooses between the nearest available controls below and above its score.</summary>
internal enum NeighbourRule
{
    /// <summary>The closer one; on a tie the one with the lower score (MatchIt's documented rule).</summary>
    Nearest,
    /// <summary>
    /// The one with the lower score whenever it exists. This reproduces MatchIt 4.5.1's output: its
    /// <c>nn_matchC_vec</c> compares the two gaps with C's integer <c>abs</c>, which truncates both gaps (&lt; 1 on a
    /// propensity score) to 0, so the left neighbour always wins. All 185 pairs of both lalonde references
    /// (expected/psm_lalonde.json) follow this rule and 111 of the 185 with-replacement pairs are not the nearest control.
    /// Only for reproducing that reference; the caliper is still applied on the true gap.
    /// </summary>
    LeftFirst,
}

/// <summary>Common-support trimming before matching (MatchIt's <c>discard</c>).</summary>
internal enum CommonSupport
{
    None,
    /// <summary>Drop treated units whose distance is outside [min, max] of the controls' distances.</summary>
    Treated,
    /// <summary>Drop controls whose distance is outside [min, max] of the treated units' distances.</summary>
    Control,
    /// <summary>Both of the above, each range taken before either group is trimmed.</summary>
    Both,
}

/// <summary>
/// Largest admissible |distance_t − distance_c|. With <paramref name="InStandardDeviations"/> the width is multiplied by
/// the sample SD (n − 1) of the distance over all non-discarded units, treated and control together — MatchIt's
/// <c>std.caliper = TRUE</c>. The SD is of whatever distance is matched on: of the score when matching on the
/// probability, of the logit when matching on the linear predictor (Austin's 0.2 SD of the logit rule).
/// </summary>
internal sealed record Caliper(double Width, bool InStandardDeviations = true);

/// <summary>Options of <see cref="NearestNeighbourMatching.Match"/>.</summary>
/// <param name="Ratio">Controls per treated unit (k of 1:k).</param>
/// <param name="Replace">Whether a control may serve several treated units.</param>
internal sealed record NearestNeighbourOptions(
    int Ratio = 1,
    bool Replace = false,
    Caliper? Caliper = null,
    MatchOrder Order = MatchOrder.Largest,
    CommonSupport Discard = CommonSupport.None,
    NeighbourRule Neighbour = NeighbourRule.Nearest);

/// <summary>One treated–control link; <paramref name="Share"/> is the control's share of the treated unit (1/k, or its kernel weight).</summary>
internal sealed record MatchedPair(int Treated, int Control, double Share);

/// <summary>
/// A matched sample. <see cref="Weights"/> are MatchIt's ATT weights: 1 for a matched treated unit; for a control the
/// sum of its shares over the treated units it serves, rescaled so the control weights sum to the number of
/// controls with a positive weight; 0 for unmatched or discarded units. The counts are of distinct units in at least
/// one pair.
/// </summary>
internal sealed record MatchResult(
    double[] Weights,
    bool[] Discarded,
    double CaliperWidth,
    int MatchedTreatedCount,
    int MatchedControlCount)
{
    /// <summary>
    /// The treated–control links, or null when they were not kept: nearest-neighbour matching keeps them (at most k per
    /// treated unit); kernel and radius matching only when asked, since they link a treated unit to every control in
    /// its window (treated × controls pairs, tens of GB with 27,500 cities).
    /// </summary>
    public IReadOnlyList<MatchedPair>? Pairs { get; init; }

    /// <summary>The result of a full pair list: weights by <see cref="MatchingSupport.AttWeights"/>, counts of distinct units.</summary>
    public static MatchResult FromPairs(IReadOnlyList<MatchedPair> pairs, int n, bool[] discarded, double caliperWidth) =>
        new(MatchingSupport.AttWeights(pairs, n), discarded, caliperWidth,
            pairs.Select(p => p.Treated).Distinct().Count(), pairs.Select(p => p.Control).Distinct().Count())
        { Pairs = pairs };
}
