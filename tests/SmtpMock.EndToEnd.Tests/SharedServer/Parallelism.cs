// The shared-server suite runs its eight tests at once, as eight CI jobs would hit one mock: NUnit's default is one
// worker per core. Only fixtures marked Parallelizable use these workers; every other test here runs as before.
[assembly: LevelOfParallelism(8)]
