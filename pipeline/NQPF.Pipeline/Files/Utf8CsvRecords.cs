using System.Buffers;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Files;

/// <summary>
/// Streams the records of a UTF-8 CSV file in chunks, giving each cell as the bytes of its text (a quoted cell
/// unescaped in place), so a reader can parse cells without building a string per cell and without holding the file.
/// It takes only what it can read exactly as <see cref="SheetReader"/>'s Sep reader does: cells separated by the
/// delimiter, records ended by LF or CRLF, a quoted cell opening at the cell's first byte and closing right before a
/// delimiter or line end (<c>""</c> inside is a quote), and every record, cell and column count within the limits.
/// Anything else (a quote inside an unquoted cell, text after a closing quote, a lone CR, an unclosed quote, a limit
/// hit) sets <see cref="Declined"/> and ends the records, so the caller can read the file the general way, which
/// also reports any problem with its usual message.
/// </summary>
internal sealed class Utf8CsvRecords : IDisposable
{
    private const int ChunkBytes = 1 << 20;
    private readonly Stream _stream;
    private readonly byte _delimiter;
    private readonly ReadLimits _limits;
    private readonly SearchValues<byte> _stops;
    private byte[] _buffer = new byte[ChunkBytes];
    private int _start;
    private int _filled;
    private bool _eof;
    private long _remaining;
    private int[] _cellStart = new int[64];
    private int[] _cellLength = new int[64];

    /// <param name="start">Offset of the first record (past a byte-order mark, or a record boundary).</param>
    /// <param name="end">Offset where the records end (a record boundary or the file's end).</param>
    public Utf8CsvRecords(string path, long start, long end, byte delimiter, ReadLimits limits)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        _stream.Seek(start, SeekOrigin.Begin);
        _remaining = end - start;
        _delimiter = delimiter;
        _limits = limits;
        _stops = SearchValues.Create([delimiter, (byte)'\n', (byte)'\r', (byte)'"']);
    }

    /// <summary>True when a record fell outside what this reader takes exactly; no more records follow.</summary>
    public bool Declined { get; private set; }

    /// <summary>Cells of the current record.</summary>
    public int Count { get; private set; }

    /// <summary>The text of cell <paramref name="i"/> of the current record (valid until the next <see cref="MoveNext"/>).</summary>
    public ReadOnlySpan<byte> Cell(int i) => _buffer.AsSpan(_cellStart[i], _cellLength[i]);

    /// <summary>Every cell empty or white space (a blank row the table readers skip).</summary>
    public bool IsBlank()
    {
        for (int i = 0; i < Count; i++)
            if (!Utf8Cells.IsWhiteSpace(Cell(i))) return false;
        return true;
    }

    public bool MoveNext()
    {
        if (Declined) return false;
        while (true)
        {
            if (_eof && _start >= _filled) return false;
            var end = Parse(_start);
            if (end == Declines) return Decline();
            if (end >= 0)
            {
                _start = end;
                Unescape();
                return true;
            }
            if (_eof || _filled - _start > _limits.MaxLineChars + 2) return Decline();
            Refill();
        }
    }

    private bool Decline()
    {
        Declined = true;
        Count = 0;
        return false;
    }

    private const int NeedsMore = -1;
    private const int Declines = -2;

    /// <summary>Parses the record at <paramref name="pos"/>: the offset after it, <see cref="NeedsMore"/> or <see cref="Declines"/>.</summary>
    private int Parse(int pos)
    {
        Count = 0;
        var recordStart = pos;
        while (true)
        {
            if (pos - recordStart > _limits.MaxLineChars || Count >= _limits.MaxColumns) return Declines;
            int next = pos < _filled && _buffer[pos] == (byte)'"' ? Quoted(pos) : Unquoted(pos);
            if (next < 0) return next;
            if (Math.Abs(_cellLength[Count - 1]) > _limits.MaxCellChars) return Declines;
            // next is the offset of the cell's terminator (or the end of the data).
            if (next == _filled) return _eof ? next : NeedsMore;
            var stop = _buffer[next];
            if (stop == _delimiter)
            {
                pos = next + 1;
                if (pos == _filled && _eof) return AddEmptyCell(pos);
                continue;
            }
            if (stop == (byte)'\n') return next + 1;
            if (next + 1 == _filled) return _eof ? Declines : NeedsMore;
            return _buffer[next + 1] == (byte)'\n' ? next + 2 : Declines;
        }
    }

    private int AddEmptyCell(int pos)
    {
        AddCell(pos, 0);
        return pos;
    }

    /// <summary>An unquoted cell from <paramref name="pos"/>: the offset of its terminator; a quote inside declines.</summary>
    private int Unquoted(int pos)
    {
        var length = _buffer.AsSpan(pos, _filled - pos).IndexOfAny(_stops);
        if (length < 0) length = _filled - pos;
        else if (_buffer[pos + length] == (byte)'"') return Declines;
        AddCell(pos, length);
        return pos + length;
    }

    /// <summary>
    /// A quoted cell opening at <paramref name="pos"/>: the offset after its closing quote. Its doubled quotes are
    /// undone once the whole record is in (<see cref="Unescape"/>): a record cut by the chunk's end is parsed again
    /// from its raw bytes.
    /// </summary>
    private int Quoted(int pos)
    {
        var read = pos + 1;
        var escaped = false;
        while (true)
        {
            var quote = _buffer.AsSpan(read, _filled - read).IndexOf((byte)'"');
            if (quote < 0) return _eof ? Declines : NeedsMore;
            read += quote + 1;
            if (read == _filled && !_eof) return NeedsMore;
            if (read < _filled && _buffer[read] == (byte)'"')
            {
                escaped = true;
                read++;
                continue;
            }
            if (read < _filled && _buffer[read] != _delimiter && _buffer[read] != (byte)'\n' && _buffer[read] != (byte)'\r') return Declines;
            AddCell(pos + 1, read - pos - 2);
            if (escaped) _cellLength[Count - 1] = -1 - _cellLength[Count - 1];
            return read;
        }
    }

    /// <summary>Turns each doubled quote of the record's escaped cells (marked by a negative length) into one, in place.</summary>
    private void Unescape()
    {
        for (int i = 0; i < Count; i++)
        {
            if (_cellLength[i] >= 0) continue;
            var cell = _buffer.AsSpan(_cellStart[i], -1 - _cellLength[i]);
            int write = 0;
            for (int read = 0; read < cell.Length; read++, write++)
            {
                cell[write] = cell[read];
                if (cell[read] == (byte)'"') read++;
            }
            _cellLength[i] = write;
        }
    }

    private void AddCell(int start, int length)
    {
        if (Count == _cellStart.Length)
        {
            Array.Resize(ref _cellStart, Count * 2);
            Array.Resize(ref _cellLength, Count * 2);
        }
        _cellStart[Count] = start;
        _cellLength[Count] = length;
        Count++;
    }

    /// <summary>
    /// Moves the unfinished record to the front (a quoted cell already unescaped is parsed again from its raw bytes,
    /// so the move keeps the bytes from the record's start) and reads more; a record longer than the buffer grows it.
    /// </summary>
    private void Refill()
    {
        var pending = _filled - _start;
        if (pending > _buffer.Length / 2)
        {
            var bigger = new byte[_buffer.Length * 2];
            _buffer.AsSpan(_start, pending).CopyTo(bigger);
            _buffer = bigger;
        }
        else _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        _start = 0;
        _filled = pending;
        while (_filled < _buffer.Length)
        {
            var n = _stream.Read(_buffer, _filled, (int)Math.Min(_buffer.Length - _filled, _remaining));
            _remaining -= n;
            if (n == 0)
            {
                _eof = true;
                break;
            }
            _filled += n;
        }
    }

    public void Dispose() => _stream.Dispose();
}
