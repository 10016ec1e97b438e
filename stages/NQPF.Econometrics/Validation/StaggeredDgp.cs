using System.Globalization;
using NQPF.Econometrics.Placebo;

namespace NQPF.Econometrics.Validation;

/// <summary>The treatment-effect path of a Monte Carlo scenario.</summary>
internal enum EffectScenario
{
    /// <summary>τ = 0 everywhere: every test should reject at its nominal rate.</summary>
    Null,

    /// <summary>τ = 1 from the first treated period on, the same for every cohort.</summary>
    Static,

    /// <summary>τ = 0.5 + 0.3·(t − g): growing with exposure, the same for every cohort.</summary>
    Dynamic,

    /// <summary>Early cohort τ = 0.5 + 0.5·(t − g), late cohort τ = 0.2: the case where TWFE's implicit weights go wrong.</summary>
    Heterogeneous,
}

/// <summary>Size of the simulated panels.</summary>
/// <param name="Units">Units; unit u is never treated when u mod 3 = 0, first treated in period 4 when 1, in period 6 when 2.</param>
/// <param name="Periods">Periods 1 … T.</param>
/// <param name="Regions">Coarse clusters (unit mod Regions) for the wild-bootstrap check with few clusters.</param>
/// <param name="Rho">AR(1) coefficient of the errors within unit (so clustering by unit matters).</param>
internal sealed record DgpSettings(int Units = 150, int Periods = 8, int Regions = 20, double Rho = 0.5);

/// <summary>One simulated panel in long form (unit-major), with the true effect of every observation.</summary>
internal sealed record SimulatedDid(string[] Unit, long[] Period, long[] Cohort, double[] Y, double[] Tau, int[] UnitCode, int[] Region);

/// <summary>
/// A staggered-adoption DGP with known effects: y_it = α_i + 0.2·t + τ_it + ε_it, α_i ~ N(0, 1), ε an AR(1) within unit
/// with coefficient ρ and unit variance, cohorts fixed by unit index (a third never treated, a third from period 4, a
/// third from period 6), so the estimands are constants. Draw r uses its own counter-based stream
/// (<see cref="DrawRandom"/>(seed, r)): any replication can be rerun alone, in any order or thread.
/// </summary>
internal static class StaggeredDgp
{
    public static long CohortOf(int unit) => (unit % 3) switch { 1 => 4, 2 => 6, _ => 0 };

    /// <summary>τ(g, t) for a treated cohort g in period t ≥ g (0 before).</summary>
    public static double Effect(EffectScenario scenario, long g, long t)
    {
        if (g == 0 || t < g) return 0;
        var e = t - g;
        return scenario switch
        {
            EffectScenario.Null => 0,
            EffectScenario.Static => 1,
            EffectScenario.Dynamic => 0.5 + 0.3 * e,
            _ => g == 4 ? 0.5 + 0.5 * e : 0.2,
        };
    }

    public static SimulatedDid Draw(DgpSettings settings, EffectScenario scenario, long seed, int replication)
    {
        var rng = new DrawRandom(seed, replication);
        var n = settings.Units * settings.Periods;
        var unit = new string[n];
        var period = new long[n];
        var cohort = new long[n];
        var y = new double[n];
        var tau = new double[n];
        var code = new int[n];
        var region = new int[n];
        var innovation = Math.Sqrt(1 - settings.Rho * settings.Rho);
        for (int u = 0, i = 0; u < settings.Units; u++)
        {
            var alpha = Normal(ref rng);
            var eps = Normal(ref rng);
            var g = CohortOf(u);
            for (var t = 1; t <= settings.Periods; t++, i++)
            {
                if (t > 1) eps = settings.Rho * eps + innovation * Normal(ref rng);
                unit[i] = "u" + u.ToString(CultureInfo.InvariantCulture);
                period[i] = t;
                cohort[i] = g;
                tau[i] = Effect(scenario, g, t);
                y[i] = alpha + 0.2 * t + tau[i] + eps;
                code[i] = u;
                region[i] = u % settings.Regions;
            }
        }
        return new SimulatedDid(unit, period, cohort, y, tau, code, region);
    }

    private static double Normal(ref DrawRandom rng) =>
        MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, ((rng.NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53)));

    /// <summary>The overall ATT: the mean effect over treated observations (the target of TWFE, CS simple, SA and BJS).</summary>
    public static double OverallAtt(DgpSettings settings, EffectScenario scenario) =>
        TreatedCells(settings).Average(c => Effect(scenario, c.G, c.T));

    /// <summary>
    /// The event-study summary: the equal-weight mean over e = 0 … e_max of ATT(e), each the mean effect at event time e
    /// over the units observed there (the target of the TWFE event study's att).
    /// </summary>
    public static double EventAverage(DgpSettings settings, EffectScenario scenario) =>
        TreatedCells(settings).GroupBy(c => c.T - c.G).Average(e => e.Average(c => Effect(scenario, c.G, c.T)));

    /// <summary>One entry per treated unit-period (t ≥ g), so averages are observation-weighted.</summary>
    private static IEnumerable<(long G, long T)> TreatedCells(DgpSettings settings)
    {
        for (var u = 0; u < settings.Units; u++)
        {
            var g = CohortOf(u);
            if (g == 0) continue;
            for (long t = g; t <= settings.Periods; t++) yield return (g, t);
        }
    }
}
