namespace Builder.Sources.Export;

internal enum ExportEntryKind
{
    Directory,
    File,
    Symlink,
}
