using System.Buffers.Binary;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace NQPF.Pipeline.Report;

/// <summary>
/// A report figure's PNG as an inline picture of the Word document, 16 cm wide with the PNG's aspect ratio (read from
/// its IHDR chunk), so the document carries the same figures as the page.
/// </summary>
internal static class WordFigures
{
    private const long Emu16Cm = 5_760_000; // 16 cm in English Metric Units (360 000 per cm)

    public static Paragraph Picture(MainDocumentPart main, byte[] png, uint id, string name)
    {
        var part = main.AddImagePart(ImagePartType.Png);
        using (var stream = new MemoryStream(png))
            part.FeedData(stream);
        var (width, height) = Size(png);
        var cx = Emu16Cm;
        var cy = width > 0 ? cx * height / width : cx / 2;
        var picture = new PIC.Picture(
            new PIC.NonVisualPictureProperties(new PIC.NonVisualDrawingProperties { Id = id, Name = name }, new PIC.NonVisualPictureDrawingProperties()),
            new PIC.BlipFill(new A.Blip { Embed = main.GetIdOfPart(part) }, new A.Stretch(new A.FillRectangle())),
            new PIC.ShapeProperties(new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }));
        var inline = new DW.Inline(
            new DW.Extent { Cx = cx, Cy = cy },
            new DW.EffectExtent { LeftEdge = 0, TopEdge = 0, RightEdge = 0, BottomEdge = 0 },
            new DW.DocProperties { Id = id, Name = name },
            new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
            new A.Graphic(new A.GraphicData(picture) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        {
            DistanceFromTop = 0, DistanceFromBottom = 0, DistanceFromLeft = 0, DistanceFromRight = 0,
        };
        return new Paragraph(new ParagraphProperties(new Justification { Val = JustificationValues.Center }), new Run(new Drawing(inline)));
    }

    /// <summary>Width and height from a PNG's IHDR chunk (big-endian at bytes 16 and 20); (0, 0) when it is not a PNG.</summary>
    internal static (long Width, long Height) Size(byte[] png) =>
        png.Length >= 24 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G'
            ? (BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)))
            : (0, 0);
}
