namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Watching the scenario files: a change, a new file in a watched folder or a deletion is acted on once the writes
/// have settled (editors save in several steps, some by delete and create).
/// </summary>
internal sealed partial class ScenarioFiles
{
    /// <summary>Starts watching the scenario files for changes.</summary>
    public void Watch()
    {
        List<string> directories;
        lock (_gate)
        {
            directories = [.. _byFile.Keys.Select(Path.GetDirectoryName).Concat(_folders).Distinct(StringComparer.Ordinal).OfType<string>()];
        }

        foreach (var directory in directories)
        {
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, e) => ScheduleReload(e.FullPath);
            watcher.Created += (_, e) => ScheduleReload(e.FullPath);
            watcher.Renamed += (_, e) => ScheduleReload(e.FullPath);
            watcher.Deleted += (_, e) => ScheduleReload(e.FullPath);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Editors write a file in several steps: reload once the writes have settled.</summary>
    private void ScheduleReload(string path)
    {
        path = Path.GetFullPath(path);
        if (!IsWatched(path))
        {
            return;
        }

        lock (_gate)
        {
            if (_pendingReloads.Remove(path, out var old))
            {
                old.Dispose();
            }

            _pendingReloads[path] = _clock.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        _pendingReloads.Remove(path);
                    }

                    try
                    {
                        Reload(path);
                    }
                    catch (Exception e)
                    {
                        // On a timer thread an exception would end the process: a reload's failure costs the reload only.
                        Log.ReloadCrashed(_logger, e, path);
                    }
                },
                null,
                TimeSpan.FromMilliseconds(200),
                Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A file loaded at start, or a scenario file in a folder the server was given.</summary>
    private bool IsWatched(string path)
    {
        lock (_gate)
        {
            return _byFile.ContainsKey(path)
                || (ScenarioCatalog.IsScenarioFile(path) && _folders.Contains(Path.GetDirectoryName(path)!));
        }
    }
}
