// The integration tests read distccd logs to prove what reached a farm host; classes running side by side would
// mix their jobs into the same logs, and the machine has two cores anyway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
