using System.Formats.Tar;
using System.IO.Compression;
using LibGit2Sharp;

namespace Builder.Sources.Export;

/// <summary>
/// A git tree that passed every check of <see cref="TreeExporter.Plan"/>, ready to be written as a directory or
/// a tarball. Blobs are streamed raw (no git filters, no smudge), so .gitattributes cannot run anything.
/// </summary>
internal sealed class ExportPlan
{
    private readonly Repository _repository;
    private readonly IReadOnlyList<ExportEntry> _entries;

    internal ExportPlan(Repository repository, IReadOnlyList<ExportEntry> entries, long totalBytes)
    {
        _repository = repository;
        _entries = entries;
        TotalBytes = totalBytes;
    }

    public long TotalBytes { get; }

    public int EntryCount => _entries.Count;

    /// <summary>
    /// Writes the tree into <paramref name="destination"/>, which must not exist. Files are created with
    /// CreateNew (O_EXCL: never through an existing name) and symlinks only after every file, so no write can
    /// follow a link. Every file is a fresh inode: git has no hard links to reproduce.
    /// </summary>
    public void WriteDirectory(string destination, CancellationToken cancellationToken)
    {
        if (Path.Exists(destination))
        {
            throw new IOException($"{destination} already exists");
        }
        Directory.CreateDirectory(destination);
        foreach (var e in _entries.Where(e => e.Kind != ExportEntryKind.Symlink))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(destination, e.Path);
            if (e.Kind == ExportEntryKind.Directory)
            {
                Directory.CreateDirectory(path);
                continue;
            }
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                | (e.Executable ? UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : 0);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = mode;
            }
            using var output = new FileStream(path, create);
            Copy(e, output);
        }
        foreach (var e in _entries.Where(e => e.Kind == ExportEntryKind.Symlink))
        {
            File.CreateSymbolicLink(Path.Combine(destination, e.Path), e.LinkTarget!);
        }
    }

    /// <summary>
    /// Writes the tree as a gzip-compressed tarball under <paramref name="topDirectory"/>/, entries sorted, owner
    /// root, every time <paramref name="mtime"/>: the same tree always gives the same bytes (an .orig.tar.gz
    /// that must not change once published).
    /// </summary>
    public void WriteTarGz(Stream output, string topDirectory, DateTimeOffset mtime, CancellationToken cancellationToken)
    {
        using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        using var tar = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true);
        Add(tar, new GnuTarEntry(TarEntryType.Directory, topDirectory + "/"), 0b111_101_101, mtime);
        foreach (var e in _entries.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = $"{topDirectory}/{e.Path}";
            switch (e.Kind)
            {
                case ExportEntryKind.Directory:
                    Add(tar, new GnuTarEntry(TarEntryType.Directory, name + "/"), 0b111_101_101, mtime);
                    break;
                case ExportEntryKind.Symlink:
                    Add(tar, new GnuTarEntry(TarEntryType.SymbolicLink, name) { LinkName = e.LinkTarget! }, 0b111_111_111, mtime);
                    break;
                default:
                    using (var content = _repository.Lookup<Blob>(e.Blob!).GetContentStream())
                    {
                        var entry = new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new KnownLengthStream(content, e.Size, e.Path) };
                        Add(tar, entry, e.Executable ? 0b111_101_101 : 0b110_100_100, mtime);
                    }
                    break;
            }
        }
    }

    private static void Add(TarWriter tar, GnuTarEntry entry, int mode, DateTimeOffset mtime)
    {
        entry.Mode = (UnixFileMode)mode;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "root";
        entry.GroupName = "root";
        entry.ModificationTime = mtime;
        entry.AccessTime = mtime;
        entry.ChangeTime = mtime;
        tar.WriteEntry(entry);
    }

    private void Copy(ExportEntry e, Stream output)
    {
        using var content = _repository.Lookup<Blob>(e.Blob!).GetContentStream();
        var buffer = new byte[81920];
        long written = 0;
        int n;
        while ((n = content.Read(buffer)) > 0)
        {
            written += n;
            if (written > e.Size)
            {
                throw new InvalidDataException($"{e.Path} is longer than its object header says ({e.Size} bytes)");
            }
            output.Write(buffer, 0, n);
        }
        if (written != e.Size)
        {
            throw new InvalidDataException($"{e.Path} is shorter than its object header says ({e.Size} bytes)");
        }
    }
}
