using LibGit2Sharp;

namespace Builder.Sources.Export;

/// <summary>One checked entry of an export: a directory, a regular file (blob, size, executable) or a symlink (target).</summary>
internal sealed record ExportEntry(string Path, ExportEntryKind Kind, ObjectId? Blob, long Size, bool Executable, string? LinkTarget);
