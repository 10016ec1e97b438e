namespace NQPF.Econometrics.Placebo;

/// <summary>
/// Placebo draws of a TWFE treatment effect on top of <see cref="PlaceboEngine"/> (the fast path: y, the controls and
/// the FE structure are demeaned once per sample; per draw only the fake treatment is demeaned and partialled out,
/// then τ̂, its clustered SE, t and p follow by Frisch–Waugh–Lovell — see the engine's doc). Draw b's fake cohorts
/// come from <see cref="PlaceboDesign.DrawCohorts"/>(kind, seed, b), a pure function of (seed, b): any split of
/// the draws into chunks, any thread count and any resumption give the same draws.
/// </summary>
internal static class PlaceboStudy
{
    /// <summary>
    /// Prepares the engine for <paramref name="kind"/>: <paramref name="baseInput"/> (outcome, controls without the
    /// treatment, FE) restricted to <see cref="PlaceboDesign.Sample"/> — all rows, or the pre-treatment rows for the
    /// timing placebo.
    /// </summary>
    public static PlaceboEngine CreateEngine(RegressionInput baseInput, Factor cluster, PlaceboDesign design,
        PlaceboKind kind, string treatmentName)
    {
        if (baseInput.Outcome.Length != design.Rows)
            throw new ArgumentException($"The regression has {baseInput.Outcome.Length} rows, the placebo design {design.Rows}.", nameof(design));
        var sample = design.Sample(kind);
        if (baseInput.Include is { } include)
        {
            for (var i = 0; i < sample.Length; i++) sample[i] &= include[i];
        }
        return PlaceboEngine.Create(baseInput with { Include = sample }, cluster, treatmentName);
    }

    /// <summary>The estimate with the real cohorts (on the engine's sample), reported as draw −1.</summary>
    public static PlaceboDraw Real(PlaceboEngine engine, PlaceboDesign design)
    {
        var treatment = new double[design.Rows];
        design.FillTreatment(design.RealCohort, treatment);
        return engine.Estimate(-1, treatment, engine.CreateWorkspace());
    }

    /// <summary>Draws <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), in parallel; result k is draw from + k.</summary>
    public static PlaceboDraw[] Run(PlaceboEngine engine, PlaceboDesign design, PlaceboKind kind, long seed, int from, int to,
        int? maxDegreeOfParallelism = null, CancellationToken cancellationToken = default)
    {
        if (from < 0 || to < from) throw new ArgumentOutOfRangeException(nameof(to), $"Bad draw range [{from}, {to}).");
        var draws = engine.Run(to - from,
            (k, treatment) => design.FillTreatment(design.DrawCohorts(kind, seed, from + k), treatment),
            maxDegreeOfParallelism, cancellationToken);
        return [.. draws.Select(d => d with { Draw = d.Draw + from })];
    }

    /// <summary>
    /// Draws given explicitly: row b of <paramref name="cohorts"/> is the cohort of every unit in draw b (unit codes
    /// as in the design, 0 = never treated), e.g. permutations exported from R (timing_permutations.csv).
    /// </summary>
    public static PlaceboDraw[] RunAssignments(PlaceboEngine engine, PlaceboDesign design, IReadOnlyList<long[]> cohorts,
        int? maxDegreeOfParallelism = null, CancellationToken cancellationToken = default)
    {
        for (var b = 0; b < cohorts.Count; b++)
        {
            if (cohorts[b].Length != design.Units)
                throw new ArgumentException($"Assignment {b + 1} has {cohorts[b].Length} cohorts for {design.Units} units.", nameof(cohorts));
        }
        return engine.Run(cohorts.Count, (b, treatment) => design.FillTreatment(cohorts[b], treatment),
            maxDegreeOfParallelism, cancellationToken);
    }
}
