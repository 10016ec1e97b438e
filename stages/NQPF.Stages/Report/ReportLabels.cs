namespace NQPF.Stages.Report;

/// <summary>
/// Labels of columns, terms, section and table titles in English or Chinese. Config overrides
/// (<see cref="ReportOptions.Labels"/>) win; a name without a label prints as it is.
/// </summary>
internal sealed class ReportLabels(ReportOptions options)
{
    private static readonly Dictionary<string, (string En, string Zh)> Builtin = new(StringComparer.Ordinal)
    {
        ["city_code"] = ("City code", "城市代码"), ["year"] = ("Year", "年份"), ["estimate"] = ("Coefficient", "系数"),
        ["se"] = ("Std. error", "标准误"), ["std_error"] = ("Std. error", "标准误"), ["t"] = ("t", "t 值"),
        ["p"] = ("p", "p 值"), ["p_value"] = ("p", "p 值"), ["ci_low"] = ("CI low", "置信下限"), ["ci_high"] = ("CI high", "置信上限"),
        ["n"] = ("N", "样本量"), ["n_obs"] = ("N", "样本量"), ["clusters"] = ("Clusters", "聚类数"), ["recipe"] = ("SE recipe", "标准误算法"),
        ["note"] = ("Note", "备注"), ["specification"] = ("Specification", "模型设定"), ["treatment"] = ("Treatment", "处理变量"),
        ["outcome"] = ("Outcome", "被解释变量"), ["weight"] = ("Weight", "权重"), ["indicator"] = ("Indicator", "指标"),
        ["dimension"] = ("Dimension", "维度"), ["direction"] = ("Direction", "方向"), ["entropy"] = ("Entropy", "信息熵"),
        ["divergence"] = ("Divergence", "差异系数"), ["variable"] = ("Variable", "变量"), ["mean"] = ("Mean", "均值"),
        ["sd"] = ("Std. dev.", "标准差"), ["min"] = ("Min", "最小值"), ["max"] = ("Max", "最大值"), ["file"] = ("File", "文件"),
        ["kind"] = ("Kind", "类型"), ["detail"] = ("Detail", "说明"), ["path"] = ("File", "文件"), ["sha256"] = ("SHA-256", "SHA-256"),
        ["bytes"] = ("Bytes", "字节"), ["estimator"] = ("Estimator", "估计量"), ["model"] = ("Model", "模型"), ["term"] = ("Term", "变量"),
        ["r2"] = ("R²", "R²"), ["r2_within"] = ("Within R²", "组内 R²"), ["count"] = ("Count", "数量"),
        ["bb"] = ("Broadband China", "宽带中国"), ["cl"] = ("Innovative cluster", "创新型产业集群"), ["dual"] = ("Dual pilot", "双试点"),
        ["single"] = ("Single pilot", "单试点"), ["any_pilot"] = ("Any pilot", "任一试点"), ["nqpf"] = ("NQPF index", "新质生产力指数"),
        ["old"] = ("Old", "原值"), ["new"] = ("New", "新值"), ["change"] = ("Change", "变化"), ["change_in_se"] = ("Change / old SE", "变化 / 原标准误"),
        ["flag"] = ("Flag", "提示"), ["status"] = ("Status", "状态"), ["dataset"] = ("Table", "表"), ["key"] = ("Row", "行"),
        ["settings"] = ("Estimator settings", "估计量设置"), ["inference"] = ("Inference", "统计推断"), ["drops"] = ("Dropped", "剔除"),
        ["density"] = ("Density", "密度"), ["setting"] = ("Setting", "设置"), ["value"] = ("Value", "取值"), ["stage"] = ("Stage", "阶段"), ["section"] = ("Section", "配置节"),
        ["section.data"] = ("Data", "数据"), ["section.diff"] = ("What changed since the previous run", "与上次运行相比的变化"),
        ["section.cohorts"] = ("Cohorts", "政策队列"), ["section.index"] = ("NQPF index: weights and descriptive statistics", "新质生产力指数：权重与描述性统计"),
        ["section.baseline"] = ("Baseline, single vs dual pilots, and policy order", "基准回归、单双试点与政策顺序"),
        ["section.mechanisms"] = ("Mechanisms", "机制检验"), ["section.heterogeneity"] = ("Heterogeneity", "异质性分析"),
        ["section.estimates"] = ("Other estimates", "其他估计结果"), ["section.robustness"] = ("Robustness", "稳健性检验"),
        ["section.figures"] = ("Figures", "图"), ["section.settings"] = ("Run settings", "运行设置"),
        ["stars"] = ("Standard errors in parentheses", "括号内为标准误"),
        ["run/raw_files"] = ("Raw files (SHA-256 as seen by this run)", "原始文件（本次运行读取时的 SHA-256）"),
        ["run/settings"] = ("Run settings", "运行设置"), ["ingest/report"] = ("Ingest: per-file report", "数据读取：逐文件报告"),
        ["ingest/findings"] = ("Ingest findings", "数据读取问题"), ["ingest/targets"] = ("Growth targets", "增长目标"),
        ["clean/sample"] = ("Sample", "样本"), ["clean/imputations"] = ("Cleaning: imputed cells", "数据清洗：插补单元"),
        ["clean/panel"] = ("Clean panel", "清洗后面板"), ["index/weights"] = ("Entropy weights", "熵权法权重"),
        ["index/descriptives"] = ("Descriptive statistics", "描述性统计"), ["cohorts/summary"] = ("Cohorts summary", "政策队列汇总"),
    };

    public string this[string name] =>
        options.Labels.TryGetValue(name, out var custom) ? custom
        : Builtin.TryGetValue(name, out var pair) ? (options.Language == ReportLanguage.Chinese ? pair.Zh : pair.En)
        : name;

    public bool Chinese => options.Language == ReportLanguage.Chinese;

    /// <summary>English or Chinese text chosen by the configured language.</summary>
    public string Pick(string english, string chinese) => Chinese ? chinese : english;
}
