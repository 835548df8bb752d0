using System;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Streams.Generated.Generator.Helpers;

/// <summary>
/// A minimal indenting text writer for generated C# (after System.Text.Json's <c>SourceWriter</c>): every line written
/// gets the current indentation; <see cref="OpenBlock"/>/<see cref="CloseBlock"/> write braces and indent.
/// </summary>
internal sealed class SourceWriter
{
    private const char IndentationChar = ' ';
    private const int CharsPerIndentation = 4;

    private readonly StringBuilder _builder = new();
    private int _indentation;

    public int Indentation
    {
        get => _indentation;
        set
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value));
            }

            _indentation = value;
        }
    }

    public void OpenBlock()
    {
        WriteLine("{");
        _indentation++;
    }

    public void CloseBlock(string suffix = "")
    {
        _indentation--;
        WriteLine("}" + suffix);
    }

    /// <summary>Writes <paramref name="text"/>; each line of a multi-line text is indented.</summary>
    public void WriteLine(string text)
    {
        if (text.IndexOf('\n') < 0)
        {
            WriteIndentedLine(text);
            return;
        }

        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            WriteIndentedLine(line);
        }
    }

    public void WriteLine() => _builder.Append('\n');

    public SourceText ToSourceText() => SourceText.From(_builder.ToString(), Encoding.UTF8);

    public override string ToString() => _builder.ToString();

    private void WriteIndentedLine(string line)
    {
        if (line.Length > 0)
        {
            _builder.Append(IndentationChar, _indentation * CharsPerIndentation);
            _builder.Append(line);
        }

        _builder.Append('\n');
    }
}
