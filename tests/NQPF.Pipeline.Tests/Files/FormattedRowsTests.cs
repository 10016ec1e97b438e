using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Simulation;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Stages.Simulation;

namespace NQPF.Pipeline.Tests.Files;

/// <summary>Researchers' exports carry formatted empty rows down to Excel's last row: the row limit counts non-empty rows.</summary>
public class FormattedRowsTests
{
    /// <summary>A 5-row table written by the simulation writer, with a styled empty cell appended in row 1,048,576.</summary>
    private static byte[] TableWithFormattedRowAt(long lastRow, int rows)
    {
        var table = Enumerable.Range(0, rows).Select(i => (IReadOnlyList<SimCell>)[SimCell.Of("城市" + i), SimCell.Of(i)]).ToList();
        var package = SimulationWriter.ToBytes(new SimFile("t.xlsx", SimFormat.Xlsx, [new SimSheet("Sheet1", table)]));
        using var input = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var source = new StreamReader(entry.Open(), Encoding.UTF8);
                var text = source.ReadToEnd();
                if (entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal))
                {
                    text = Regex.Replace(text, "</(\\w+:)?sheetData>", m =>
                        $"<{m.Groups[1].Value}row r=\"{lastRow}\"><{m.Groups[1].Value}c r=\"A{lastRow}\" s=\"0\"/></{m.Groups[1].Value}row>{m.Value}");
                    text = Regex.Replace(text, "<(\\w+:)?dimension [^>]*/>", "");
                }
                using var target = zip.CreateEntry(entry.FullName).Open();
                target.Write(Encoding.UTF8.GetBytes(text));
            }
        }
        return output.ToArray();
    }

    [Fact]
    public void Read_FormattedEmptyRowsToExcelsLastRow_ReadWithinARowLimitOfTen()
    {
        var book = new SheetReader().Read("panel.xlsx", TableWithFormattedRowAt(1_048_576, 5), new ReadLimits { MaxRows = 10 });
        var rows = book.Sheets[0].Rows;
        Assert.Equal(5, rows.Count);
        Assert.Equal("城市4", rows[4].Cells[0]);
    }

    [Fact]
    public void Read_MoreNonEmptyRowsThanTheLimit_RefusedCountingNonEmptyRows()
    {
        var e = Assert.Throws<DataValidationException>(() =>
            new SheetReader().Read("panel.xlsx", TableWithFormattedRowAt(100, 12), new ReadLimits { MaxRows = 10 }));
        Assert.Equal("panel.xlsx, sheet 'Sheet1': more than Ingest:Limits:MaxRows = 10 non-empty rows.", e.Message);
    }

    [Fact]
    public void Read_RowNumberBeyondExcel_Refused()
    {
        var e = Assert.Throws<DataValidationException>(() => new SheetReader().Read("panel.xlsx", TableWithFormattedRowAt(1_048_577, 3), new ReadLimits()));
        Assert.Contains("has a row numbered '1048577', beyond Excel's last row 1,048,576", e.Message, StringComparison.Ordinal);
    }
}
