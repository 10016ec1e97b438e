using System.Globalization;

namespace NQPF.Stages.Common;

/// <summary>
/// A derived variable's formula over canonical fields, as written in config/indicators.json, e.g.
/// "college_students / population", "ln(gdp / land_area)", "(secondary_va + tertiary_va) / gdp * 100".
/// Grammar: sums and differences of products and quotients of factors; a factor is a number, a field name
/// ([A-Za-z_][A-Za-z0-9_]*), a parenthesised expression, a unary minus, or ln(e) / sqrt(e) / abs(e).
/// Evaluation: any missing field gives NaN (the clean stage then interpolates the derived series); a division by zero,
/// ln of a number ≤ 0 or sqrt of a negative number is a data error that names the city, year and formula.
/// </summary>
internal sealed class Formula
{
    private readonly Node _root;

    private Formula(string text, Node root, IReadOnlyList<string> fields)
    {
        Text = text;
        _root = root;
        Fields = fields;
    }

    public string Text { get; }

    /// <summary>Field names the formula reads, in first-appearance order.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Parses <paramref name="text"/>; <paramref name="where"/> names the variable for error messages.</summary>
    public static Formula Parse(string text, string where)
    {
        var parser = new Parser(text, where);
        var root = parser.ParseAll();
        return new Formula(text, root, parser.Fields);
    }

    /// <summary>Evaluates with <paramref name="field"/> giving a field's value (NaN when missing).</summary>
    public double Evaluate(Func<string, double> field, string where) => _root.Eval(field, this, where);

    private abstract record Node
    {
        public abstract double Eval(Func<string, double> field, Formula f, string where);
    }

    private sealed record Number(double Value) : Node
    {
        public override double Eval(Func<string, double> field, Formula f, string where) => Value;
    }

    private sealed record Field(string Name) : Node
    {
        public override double Eval(Func<string, double> field, Formula f, string where) => field(Name);
    }

    private sealed record Negate(Node Operand) : Node
    {
        public override double Eval(Func<string, double> field, Formula f, string where) => -Operand.Eval(field, f, where);
    }

    private sealed record Binary(char Op, Node Left, Node Right) : Node
    {
        public override double Eval(Func<string, double> field, Formula f, string where)
        {
            var a = Left.Eval(field, f, where);
            var b = Right.Eval(field, f, where);
            if (double.IsNaN(a) || double.IsNaN(b)) return double.NaN;
            return Op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                _ => b == 0
                    ? throw new DataValidationException($"{where}: division by zero in '{f.Text}' (a divisor is 0).")
                    : a / b,
            };
        }
    }

    private sealed record Call(string Function, Node Argument) : Node
    {
        public override double Eval(Func<string, double> field, Formula f, string where)
        {
            var x = Argument.Eval(field, f, where);
            if (double.IsNaN(x)) return double.NaN;
            return Function switch
            {
                "ln" => x > 0 ? Math.Log(x)
                    : throw new DataValidationException($"{where}: ln of {x.ToString("R", CultureInfo.InvariantCulture)} <= 0 in '{f.Text}'."),
                "sqrt" => x >= 0 ? Math.Sqrt(x)
                    : throw new DataValidationException($"{where}: sqrt of negative {x.ToString("R", CultureInfo.InvariantCulture)} in '{f.Text}'."),
                _ => Math.Abs(x),
            };
        }
    }

    private sealed class Parser(string text, string where)
    {
        private static readonly string[] Functions = ["ln", "sqrt", "abs"];
        private readonly List<string> _fields = [];
        private int _pos;

        public IReadOnlyList<string> Fields => _fields;

        public Node ParseAll()
        {
            var node = ParseSum();
            SkipSpace();
            if (_pos < text.Length) throw Error($"unexpected '{text[_pos]}'");
            return node;
        }

        private Node ParseSum()
        {
            var left = ParseProduct();
            while (TryTake('+', '-', out var op)) left = new Binary(op, left, ParseProduct());
            return left;
        }

        private Node ParseProduct()
        {
            var left = ParseFactor();
            while (TryTake('*', '/', out var op)) left = new Binary(op, left, ParseFactor());
            return left;
        }

        private Node ParseFactor()
        {
            SkipSpace();
            if (_pos >= text.Length) throw Error("unexpected end");
            var c = text[_pos];
            if (c == '-') { _pos++; return new Negate(ParseFactor()); }
            if (c == '(')
            {
                _pos++;
                var inner = ParseSum();
                Expect(')');
                return inner;
            }
            if (char.IsAsciiDigit(c) || c == '.')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] is '.' or 'e' or 'E'
                       || (text[_pos] is '+' or '-' && text[_pos - 1] is 'e' or 'E')))
                    _pos++;
                var literal = text[start.._pos];
                return double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    ? new Number(v) : throw Error($"bad number '{literal}'");
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
                var name = text[start.._pos];
                SkipSpace();
                if (_pos < text.Length && text[_pos] == '(')
                {
                    if (!Functions.Contains(name)) throw Error($"unknown function '{name}' (known: {string.Join(", ", Functions)})");
                    _pos++;
                    var argument = ParseSum();
                    Expect(')');
                    return new Call(name, argument);
                }
                if (!_fields.Contains(name)) _fields.Add(name);
                return new Field(name);
            }
            throw Error($"unexpected '{c}'");
        }

        private bool TryTake(char a, char b, out char op)
        {
            SkipSpace();
            op = _pos < text.Length ? text[_pos] : '\0';
            if (op != a && op != b) return false;
            _pos++;
            return true;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (_pos >= text.Length || text[_pos] != c) throw Error($"expected '{c}'");
            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private ConfigValidationException Error(string what) =>
            new($"{where}: formula '{text}' at position {_pos.ToString(CultureInfo.InvariantCulture)}: {what}.");
    }
}
