package dev.tether.bench;

/** Every section's result of one run; a section not selected with {@code --only} is null. */
record Results(SpawnBench.Result spawn, StopBench.Result stop, ScanBench.Result scan, SigkillBench.Result sigkill,
               RegistryBench.Result registry, GuardianBench.Result guardian, ServeBench.Result serve,
               ChurnBench.Result churn) {}
