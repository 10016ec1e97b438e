using NQPF.Stages.Common;

namespace NQPF.Stages.Simulation;

/// <summary>
/// Generates the canonical city-year values behind the simulated yearbooks. Each NQPF indicator is drawn additively
/// (unit level correlated with a development latent + common year trend + common year shock + AR(1) shock, clipped to
/// plausible bounds), so that without treatment all units' indicators move in parallel on the index scale; raw fields
/// are then backed out (e.g. broadband users = broadband per 100 × population / 100) and rounded to the printed
/// precision. Treatment adds, to treated unit-years, s_j × h_i × [E_bb,j · b(e_bb) · c(g_bb) + E_cl,j · b(e_cl) ·
/// c(g_cl) + synergy · order · (E_bb,j + E_cl,j) · b(e_dual)] where s_j is the indicator's 2011 cross-sectional sd,
/// h_i the heterogeneity factor, b(e) = 1 − exp(−(e+1)/BuildUp) the build-up and c(g) the cohort factor
/// (<see cref="TruthParameters"/>). Scenarios share every random draw, so they differ only by the effects.
/// </summary>
internal static class YearbookSimulator
{
    public static readonly string[] RawFields =
    [
        "pop_registered", "pop_resident", "land_area", "gdp", "gdp_per_capita", "secondary_share", "tertiary_share",
        "fiscal_expenditure", "fiscal_revenue", "science_expenditure", "education_expenditure", "fdi_actual",
        "deposits", "loans", "employees_total", "employees_it", "employees_research", "avg_wage", "students_higher",
        "broadband_users", "mobile_users", "telecom_revenue", "electricity", "patents_granted",
        "invention_patents_granted", "patents_applied", "so2_industrial", "wastewater_industrial",
        "solid_waste_util_rate", "green_coverage", "garbage_treatment_rate", "sewage_treatment_rate",
        "pop_registered_district", "land_area_district", "gdp_district", "employees_total_district",
        "fiscal_expenditure_district",
    ];

    /// <summary>Nominal GDP growth per year (common component), 2010→2011 … 2021→2022; later years repeat the last.</summary>
    private static readonly double[] GdpGrowth = [0.10, 0.085, 0.08, 0.075, 0.07, 0.068, 0.068, 0.065, 0.06, 0.025, 0.085, 0.053];

    private static readonly double[] CnyPerUsd = [6.4588, 6.3125, 6.1932, 6.1428, 6.2284, 6.6423, 6.7518, 6.6174, 6.8985, 6.8976, 6.4515, 6.7261];

    private static readonly Dictionary<string, EffectSpec> EffectsByIndicator =
        SimulationSpec.Effects.ToDictionary(e => e.Indicator, StringComparer.Ordinal);

    public static SimulatedPanel Generate(SimulationInputs inputs)
    {
        var rnd = new SimRandom(inputs.Seed);
        var years = inputs.Years.ToArray();
        var cities = inputs.Roster.Cities.Where(c => c.Level is "直辖市" or "地级市" && c.ValidTo >= inputs.FirstYear
                                                     && c.ValidFrom <= inputs.LastYear).ToList();
        var people = DrawDemography(inputs, cities, years, rnd);
        var units = BuildUnits(inputs, cities, people.PopPath, people.RegFactor, rnd);
        var effectUnits = new Dictionary<string, double>(StringComparer.Ordinal);
        var paths = SimulationSpec.Indicators
            .Select(s => DrawIndicatorPath(s, people.Z, years, inputs.BlockYears, rnd, effectUnits)).ToArray();
        var density0 = DrawDensityLevels(people, rnd);
        effectUnits["employment_density"] = StdDev(density0);
        var values = DrawValues(inputs, units, years, people, paths, density0, effectUnits, rnd);
        var targets = GrowthTargets(inputs, units, rnd);
        return new SimulatedPanel(units, years, RawFields, values, targets, effectUnits);
    }

    /// <summary>Per city: the standardised development latent z, the resident population path (万人), the
    /// registered/resident factor and the land area (km²), from the census where the city has one.</summary>
    private sealed record Demography(double[] Z, double[][] PopPath, double[] RegFactor, double[] Land);

    private static Demography DrawDemography(SimulationInputs inputs, List<City> cities, int[] years, SimRandom rnd)
    {
        var unitRandom = rnd.Stream("units");
        var popRandom = rnd.Stream("population");
        var n = cities.Count;
        var z = new double[n];
        var popPath = new double[n][];
        var regFactor = new double[n];
        var land = new double[n];
        for (var i = 0; i < n; i++)
        {
            var census = FindCensus(inputs.Census, cities[i]);
            var p10 = census?.Pop2010 > 0 ? census.Pop2010 : Math.Exp(Math.Log(3.0e6) + 0.5 * SimRandom.Normal(popRandom));
            var p20 = census?.Pop2020 > 0 ? census.Pop2020 : p10 * Math.Exp(0.03 * SimRandom.Normal(popRandom));
            var urban = census?.Urban2010 > 0 ? census.Urban2010 / p10 : 0.45 + 0.1 * SimRandom.Normal(popRandom);
            z[i] = (urban - 0.5) / 0.15 + 0.5 * SimRandom.Normal(unitRandom);
            popPath[i] = years.Select(y => Math.Exp(Math.Log(p10) + (Math.Log(p20) - Math.Log(p10)) * (y - 2010) / 10.0) / 1e4).ToArray();
            regFactor[i] = Math.Exp(0.08 * SimRandom.Normal(popRandom)) * (1.0 - 0.5 * Math.Max(0, urban - 0.65));
            var density = Math.Exp(Math.Log(400) + 0.25 * z[i] + 0.6 * SimRandom.Normal(popRandom));
            land[i] = Math.Round(p10 / density);
        }
        var zMean = z.Average();
        var zSd = Math.Sqrt(z.Select(v => (v - zMean) * (v - zMean)).Average());
        for (var i = 0; i < n; i++)
            z[i] = (z[i] - zMean) / zSd;
        return new Demography(z, popPath, regFactor, land);
    }

    /// <summary>
    /// One indicator's untreated paths [unit][year]: level + trend + common shock + AR(1). The first
    /// <paramref name="block"/> years come from the indicator's stream; each later year from a stream of its own that
    /// continues every unit's AR(1) path, so appending a year leaves the earlier years unchanged. Records the
    /// indicator's effect unit (the sd of the clipped 2011 levels) in <paramref name="effectUnits"/>.
    /// </summary>
    private static double[][] DrawIndicatorPath(IndicatorSpec s, double[] z, int[] years, int block, SimRandom rnd,
        Dictionary<string, double> effectUnits)
    {
        var n = z.Length;
        var r = rnd.Stream("indicator:" + s.Name);
        var common = new double[years.Length];
        for (var t = 0; t < block; t++)
            common[t] = 0.03 * SimRandom.Normal(r);
        var levels = new double[n];
        for (var i = 0; i < n; i++)
        {
            var a = s.Rho * z[i] + Math.Sqrt(1 - s.Rho * s.Rho) * SimRandom.Normal(r);
            levels[i] = s.Skewed ? s.Mean2011 * Math.Exp(s.Sd2011 * a - s.Sd2011 * s.Sd2011 / 2) : s.Mean2011 + s.Sd2011 * a;
        }
        var sd = StdDev(levels.Select(v => Math.Clamp(v, s.Min, s.Max)));
        effectUnits[s.Name] = sd;
        var path = new double[n][];
        var slopes = new double[n];
        var ar = new double[n];
        for (var i = 0; i < n; i++)
        {
            slopes[i] = s.Trend * (1 + 0.1 * SimRandom.Normal(r));
            path[i] = new double[years.Length];
            for (var t = 0; t < block; t++)
            {
                ar[i] = 0.5 * ar[i] + s.Noise * sd * SimRandom.Normal(r);
                path[i][t] = levels[i] + slopes[i] * (years[t] - 2011) + common[t] * sd + ar[i];
            }
        }
        for (var t = block; t < years.Length; t++)
        {
            var ry = rnd.Stream("indicator:" + s.Name + ":" + years[t].ToString(System.Globalization.CultureInfo.InvariantCulture));
            common[t] = 0.03 * SimRandom.Normal(ry);
            for (var i = 0; i < n; i++)
            {
                ar[i] = 0.5 * ar[i] + s.Noise * sd * SimRandom.Normal(ry);
                path[i][t] = levels[i] + slopes[i] * (years[t] - 2011) + common[t] * sd + ar[i];
            }
        }
        return path;
    }

    /// <summary>Employment density (persons per km²) in the first year, per city.</summary>
    private static double[] DrawDensityLevels(Demography people, SimRandom rnd)
    {
        var densRandom = rnd.Stream("density");
        var density0 = new double[people.Z.Length];
        for (var i = 0; i < density0.Length; i++)
            density0[i] = 0.13 * people.PopPath[i][0] * 1e4 / people.Land[i] * Math.Exp(0.3 * SimRandom.Normal(densRandom));
        return density0;
    }

    /// <summary>The raw field values per scenario (index = <see cref="Scenario"/>), keyed by (city code, year).</summary>
    private static Dictionary<(string, int), double[]>[] DrawValues(SimulationInputs inputs, List<SimUnit> units, int[] years,
        Demography people, double[][][] paths, double[] density0, Dictionary<string, double> effectUnits, SimRandom rnd)
    {
        var values = Enumerable.Range(0, 4).Select(_ => new Dictionary<(string, int), double[]>()).ToArray();
        var fieldRandomSeed = rnd.Stream("fields");
        var draws = Enumerable.Range(0, units.Count).Select(_ => FieldDraws.Draw(fieldRandomSeed)).ToArray();
        var densSd = effectUnits["employment_density"];
        for (var i = 0; i < units.Count; i++)
        {
            var u = units[i];
            var gdppc = Math.Exp(Math.Log(36000) + 0.45 * people.Z[i] + 0.15 * draws[i].GdpNoise);
            var densAr = 0.0;
            var gdpAr = 0.0;
            var tRandom = rnd.Stream("unit-year:" + u.City.Code);
            for (var t = 0; t < years.Length; t++)
            {
                var year = years[t];
                gdpAr = 0.5 * gdpAr + 0.012 * SimRandom.Normal(tRandom);
                if (t > 0)
                    gdppc *= 1 + GdpGrowth[Math.Min(t, GdpGrowth.Length - 1)] + gdpAr + draws[i].GrowthOffset;
                densAr = 0.5 * densAr + 0.04 * densSd * SimRandom.Normal(tRandom);
                var densityCf = density0[i] * (1 + 0.015 * (year - 2011)) + densAr;
                var shocks = Enumerable.Range(0, 8).Select(_ => SimRandom.Normal(tRandom)).ToArray();
                var pop = people.PopPath[i][t];
                for (var sIdx = 0; sIdx < 4; sIdx++)
                {
                    var scenario = (Scenario)sIdx;
                    var ind = TreatedIndicators(u, i, t, year, scenario, paths, effectUnits, inputs.Truth);
                    var density = Math.Max(5, densityCf + densSd * Effect(u, year, scenario, inputs.Truth.DensityBroadband, inputs.Truth.DensityCluster, inputs.Truth));
                    values[sIdx][(u.City.Code, year)] = RawValues(ind, draws[i], shocks, pop * people.RegFactor[i],
                        pop, people.Land[i], gdppc, density, year);
                }
            }
        }
        return values;
    }

    /// <summary>Every indicator of one unit-year under a scenario: the untreated path plus the planted effect, clipped.</summary>
    private static Dictionary<string, double> TreatedIndicators(SimUnit u, int i, int t, int year, Scenario scenario,
        double[][][] paths, Dictionary<string, double> effectUnits, TruthParameters p)
    {
        var specs = SimulationSpec.Indicators;
        var ind = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var j = 0; j < specs.Count; j++)
        {
            var s = specs[j];
            var delta = EffectsByIndicator.TryGetValue(s.Name, out var e)
                ? effectUnits[s.Name] * Effect(u, year, scenario, e.Broadband, e.Cluster, p) : 0.0;
            ind[s.Name] = Math.Clamp(paths[j][i][t] + delta, s.Min, s.Max);
        }
        return ind;
    }

    /// <summary>Effect in Sd2011 units of one indicator for a unit-year under a scenario (0 before treatment).</summary>
    internal static double Effect(SimUnit u, int year, Scenario scenario, double eBb, double eCl, TruthParameters p)
    {
        if (scenario == Scenario.Counterfactual)
            return 0;
        var bbOn = u.BroadbandFirst > 0 && year >= u.BroadbandFirst;
        var clOn = u.ClusterFirst > 0 && year >= u.ClusterFirst;
        var total = 0.0;
        if (bbOn && scenario is Scenario.BroadbandOnly or Scenario.Observed)
            total += eBb * BuildUp(year - u.BroadbandFirst, p) * CohortFactor(u.BroadbandFirst, p);
        if (clOn && scenario is Scenario.ClusterOnly or Scenario.Observed)
            total += eCl * BuildUp(year - u.ClusterFirst, p) * CohortFactor(u.ClusterFirst, p);
        if (bbOn && clOn && scenario == Scenario.Observed)
        {
            var order = u.ClusterFirst < u.BroadbandFirst ? p.ClusterFirstFactor
                : u.BroadbandFirst < u.ClusterFirst ? p.BroadbandFirstFactor : p.SameYearFactor;
            var dualStart = Math.Max(u.BroadbandFirst, u.ClusterFirst);
            total += p.Synergy * order * (eBb + eCl) * BuildUp(year - dualStart, p);
        }
        return total * u.Heterogeneity;
    }

    internal static double BuildUp(int exposure, TruthParameters p) => 1 - Math.Exp(-(exposure + 1) / p.BuildUp);

    internal static double CohortFactor(int cohort, TruthParameters p) => 1 + p.CohortSlope * (p.CohortPivot - cohort);

    private static double[] RawValues(Dictionary<string, double> ind, FieldDraws d, double[] shocks, double popReg,
        double popRes, double land, double gdppc, double density, int year)
    {
        var t = year - 2011;
        var pop = Math.Round(popReg, 2);
        var popR = Math.Round(popRes, 2);
        var gdp = Math.Round(gdppc * popRes);
        var gdpPc = Math.Round(gdp / popR);
        var tertiary = Math.Round(ind["tertiary_share"], 2);
        var primary = Math.Max(0.5, d.PrimaryShare - 0.25 * t + 0.3 * shocks[0]);
        var secondary = Math.Round(Math.Max(5, 100 - tertiary - primary), 2);
        var fiscalExp = Math.Round(gdp * d.FiscalRatio * (1 + 0.005 * t) * Math.Exp(0.03 * shocks[1]));
        var fiscalRev = Math.Round(gdp * d.RevenueRatio * Math.Exp(0.04 * shocks[2]));
        var empTotal = Math.Round(density * land / 1e4, 2);
        var patents = Math.Round(ind["patents_per_10k"] * pop);
        var rate = CnyPerUsd[Math.Clamp(year - 2011, 0, CnyPerUsd.Length - 1)];
        var districtShare = Math.Clamp(d.DistrictShare + 0.004 * t, 0.05, 0.98);
        return
        [
            pop,
            popR,
            land,
            gdp,
            gdpPc,
            secondary,
            tertiary,
            fiscalExp,
            fiscalRev,
            Math.Round(ind["science_share"] / 100 * fiscalExp),
            Math.Round(ind["education_per_capita"] * pop),
            Math.Round(gdp * d.FdiRatio * Math.Exp(0.1 * shocks[3]) / rate),
            Math.Round(gdp * (d.DepositRatio + 0.04 * t)),
            Math.Round(gdp * (d.LoanRatio + 0.035 * t)),
            empTotal,
            Math.Round(ind["it_share"] / 100 * empTotal, 4),
            Math.Round(ind["research_share"] / 100 * empTotal, 4),
            Math.Round(ind["avg_wage"]),
            Math.Round(ind["students_per_10k"] * pop),
            Math.Round(ind["broadband_per_100"] * pop / 100, 2),
            Math.Round(ind["mobile_per_100"] * pop / 100, 2),
            Math.Round(ind["telecom_per_capita"] * pop),
            Math.Round(ind["electricity_intensity"] * gdp),
            patents,
            Math.Round(patents * d.InventionShare),
            Math.Round(patents * d.ApplicationRatio),
            Math.Round(ind["so2_intensity"] * gdp),
            Math.Round(ind["wastewater_intensity"] * gdp, 1),
            Math.Round(ind["solid_waste_util_rate"], 2),
            Math.Round(ind["green_coverage"], 2),
            Math.Round(ind["garbage_treatment_rate"], 2),
            Math.Round(Math.Clamp(d.SewageRate + 1.2 * t + shocks[4], 20, 100), 2),
            Math.Round(pop * districtShare, 2),
            Math.Round(land * d.DistrictLandShare),
            Math.Round(gdp * Math.Clamp(districtShare + 0.08, 0.05, 0.99)),
            Math.Round(empTotal * Math.Clamp(districtShare + 0.1, 0.05, 0.99), 2),
            Math.Round(fiscalExp * Math.Clamp(districtShare, 0.05, 0.95)),
        ];
    }

    private static List<SimUnit> BuildUnits(SimulationInputs inputs, List<City> cities, double[][] popPath,
        double[] regFactor, SimRandom rnd)
    {
        var p = inputs.Truth;
        var r = rnd.Stream("attributes");
        var units = new List<SimUnit>(cities.Count);
        for (var i = 0; i < cities.Count; i++)
        {
            var c = cities[i];
            var bb = inputs.BroadbandFirst.TryGetValue(c.Code, out var b) && b <= inputs.LastYear ? b : 0;
            var cl = inputs.ClusterFirst.TryGetValue(c.Code, out var g) && g <= inputs.LastYear ? g : 0;
            var large = popPath[i][0] * regFactor[i] >= p.LargePopulation;
            var hard = r.NextDouble() < 0.5;
            var intensified = r.NextDouble() < 0.4;
            var h = (c.ResourceBased ? p.ResourceBasedFactor : 1.0) * (c.Central ? p.CentralFactor : 1.0)
                    * (large ? p.LargeFactor : p.SmallFactor) * (hard ? p.HardTargetFactor : 1.0)
                    * (intensified ? p.IntensifiedFactor : 1.0);
            // A 地区 converted during the period is printed from its conversion year (under its old name that year).
            var from = Math.Max(inputs.FirstYear, Math.Max(c.ValidFrom, c.CityFrom - 1));
            units.Add(new SimUnit(c, from, Math.Min(inputs.LastYear, c.ValidTo), bb, cl, large, hard, intensified, h));
        }
        return units;
    }

    /// <summary>
    /// Province and city GDP growth targets: the national target + a province offset, cities above it when
    /// intensified. Years of the block are drawn from one stream in province order; each later year from its own stream
    /// (<see cref="SimulationInputs.BlockLastYear"/>), so extending the range keeps the earlier targets.
    /// </summary>
    private static List<SimTarget> GrowthTargets(SimulationInputs inputs, List<SimUnit> units, SimRandom rnd)
    {
        var r = rnd.Stream("targets");
        var provinces = units.GroupBy(u => u.City.ProvinceCode.Length > 0 ? u.City.ProvinceCode : u.City.Code[..2] + "0000")
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var list = new List<SimTarget>();
        var blockYears = inputs.Years.Take(inputs.BlockYears).ToList();
        var laterYears = inputs.Years.Skip(inputs.BlockYears).ToList();
        var profiles = new List<(IGrouping<string, SimUnit> Units, double Offset, bool Hard)>();
        foreach (var prov in provinces)
        {
            var offset = Math.Round(2 * (0.8 * SimRandom.Normal(r))) / 2;
            var provHard = r.NextDouble() < 0.5;
            profiles.Add((prov, offset, provHard));
            ProvinceTargets(list, prov, offset, provHard, blockYears, r);
        }
        foreach (var year in laterYears)
        {
            var ry = rnd.Stream("targets:" + year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (prov, offset, provHard) in profiles)
                ProvinceTargets(list, prov, offset, provHard, [year], ry);
        }
        return list;
    }

    /// <summary>National growth targets (%, NaN = none set in 2020; Government Work Reports); years not listed use 6.0.</summary>
    private static readonly Dictionary<int, double> NationalTargets = new()
    {
        [2011] = 9.5, [2012] = 9.5, [2013] = 9.5, [2014] = 9.0, [2015] = 8.5, [2016] = 8.0, [2017] = 7.5, [2018] = 7.0,
        [2019] = 6.5, [2020] = double.NaN, [2021] = 7.0, [2022] = 5.5, [2023] = 5.0, [2024] = 5.0,
    };

    private static void ProvinceTargets(List<SimTarget> list, IGrouping<string, SimUnit> prov, double offset, bool provHard,
        IReadOnlyList<int> years, Random r)
    {
        var provinceName = prov.First().City.Province;
        var municipality = prov.First().City.IsMunicipality;
        var provTargets = new Dictionary<int, double>();
        foreach (var year in years)
        {
            var baseTarget = NationalTargets.TryGetValue(year, out var v) ? v : 6.0;
            var target = double.IsNaN(baseTarget) ? double.NaN : Math.Max(5.0, baseTarget + offset);
            provTargets[year] = target;
            if (!municipality)
                list.Add(new SimTarget(prov.Key, provinceName, "省", year, target, Wording(target, provHard, r)));
        }
        foreach (var u in prov)
        {
            foreach (var year in years.Where(u.Printed))
            {
                var pt = provTargets[year];
                if (double.IsNaN(pt))
                {
                    list.Add(new SimTarget(u.City.Code, u.City.Name, municipality ? "省" : "市", year, double.NaN, "不设具体目标"));
                    continue;
                }
                var extra = u.Intensified ? 1.0 + 0.5 * r.Next(0, 3) : 0.5 * r.Next(-1, 1);
                var ct = municipality ? pt : pt + extra;
                var hard = r.NextDouble() < 0.85 ? u.HardTarget : !u.HardTarget;
                list.Add(new SimTarget(u.City.Code, u.City.Name, municipality ? "省" : "市", year, ct, Wording(ct, hard, r)));
            }
        }
    }

    private static string Wording(double target, bool hard, Random r)
    {
        if (double.IsNaN(target))
            return "不设具体目标";
        var x = target.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        var k = r.Next(3);
        return hard
            ? k switch { 0 => $"确保{x}%以上", 1 => $"{x}%以上", _ => $"不低于{x}%" }
            : k switch { 0 => $"{x}%左右", 1 => $"力争{x}%左右", _ => $"预期增长{x}%左右" };
    }

    private static CensusPopulation? FindCensus(IReadOnlyDictionary<string, CensusPopulation> census, City c)
    {
        if (census.TryGetValue(c.Code, out var hit))
            return hit;
        return c.IsMunicipality && census.TryGetValue(c.Code[..2] + "0100", out var m) ? m : null;
    }

    private static double StdDev(IEnumerable<double> xs)
    {
        var a = xs.ToArray();
        var mean = a.Average();
        return Math.Sqrt(a.Sum(v => (v - mean) * (v - mean)) / (a.Length - 1));
    }

    /// <summary>Time-invariant per-unit draws for the fields outside the index.</summary>
    private sealed record FieldDraws(double GdpNoise, double GrowthOffset, double PrimaryShare, double FiscalRatio,
        double RevenueRatio, double FdiRatio, double DepositRatio, double LoanRatio, double InventionShare,
        double ApplicationRatio, double SewageRate, double DistrictShare, double DistrictLandShare)
    {
        public static FieldDraws Draw(Random r) => new(
            SimRandom.Normal(r),
            0.01 * SimRandom.Normal(r),
            Math.Clamp(11 + 5 * SimRandom.Normal(r), 1, 30),
            Math.Clamp(0.18 + 0.06 * SimRandom.Normal(r), 0.07, 0.45),
            Math.Clamp(0.08 + 0.02 * SimRandom.Normal(r), 0.03, 0.16),
            Math.Clamp(0.015 * Math.Exp(0.7 * SimRandom.Normal(r)), 0.0005, 0.08),
            Math.Clamp(1.5 + 0.4 * SimRandom.Normal(r), 0.6, 3.5),
            Math.Clamp(1.0 + 0.3 * SimRandom.Normal(r), 0.4, 2.5),
            Math.Clamp(0.15 + 0.04 * SimRandom.Normal(r), 0.05, 0.4),
            Math.Clamp(1.8 + 0.2 * SimRandom.Normal(r), 1.2, 2.6),
            Math.Clamp(78 + 8 * SimRandom.Normal(r), 40, 98),
            Math.Clamp(0.35 + 0.15 * SimRandom.Normal(r), 0.08, 0.9),
            Math.Clamp(0.15 + 0.08 * SimRandom.Normal(r), 0.02, 0.7));
    }
}
