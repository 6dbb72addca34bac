// Package sweep expands a specification — a base configuration, axes over
// any configuration field and a list of seeds — into runs, executes them
// (concurrently, resumably, optionally as one shard of many), merges their
// results into one table and writes SLURM scripts that run a sweep as a job
// array.
//
// A sweep folder looks like this:
//
//	sweep.yaml           the specification the runs were planned from
//	runs/<id>/           one folder per run (see package experiment), plus
//	runs/<id>/result.json  written last and atomically: the run is complete
//	results.csv          written by Merge: one row per run and optimiser
//	slurm/               sbatch scripts and task logs (see Slurm)
//
// A run's id is a hash of its resolved configuration, so the same point of
// the same sweep always has the same folder, and a sweep run again skips
// every run whose result.json is already there.
package sweep
