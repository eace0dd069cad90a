// Memory, threads and descriptors are read from /proc: these tests run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Each test measures latency or throughput on a machine it must have to itself: one test at a time, never side by side.
[assembly: NonParallelizable]
