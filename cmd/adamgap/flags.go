package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/optim"
)

// jobsValue is a --jobs flag: a count >= 0, 0 meaning one per CPU.
type jobsValue int

func (v *jobsValue) String() string { return strconv.Itoa(int(*v)) }
func (v *jobsValue) Type() string   { return "int" }
func (v *jobsValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1<<16 {
		return fmt.Errorf("--jobs %q must be a whole number in [0, 65536] (0: one per CPU)", s)
	}
	*v = jobsValue(n)
	return nil
}

// memoryValue is the --max-memory flag: a byte count such as 8GiB.
type memoryValue int64

func (v *memoryValue) String() string { return config.FormatBytes(float64(*v)) }
func (v *memoryValue) Type() string   { return "size" }
func (v *memoryValue) Set(s string) error {
	n, err := config.ParseBytes(s)
	if err != nil {
		return fmt.Errorf("--max-memory: %w", err)
	}
	*v = memoryValue(n)
	return nil
}

// maxMemoryFlag registers --max-memory on fs, defaulting to half of this
// machine's memory.
func maxMemoryFlag(fs *pflag.FlagSet, v *int64) {
	*v = config.DefaultMaxMemory()
	fs.Var((*memoryValue)(v), "max-memory", fmt.Sprintf("refuse a configuration whose estimated memory exceeds this, e.g. 8GiB or 500MB (default: half of this machine's memory, %s here)", config.FormatBytes(float64(*v))))
	fs.Lookup("max-memory").DefValue = "" // the usage says the default once
}

func optimizerHelp() string {
	return fmt.Sprintf("Optimisers:\n%s\nHyper-parameters (--NAME, '-' for '_'; YAML keys of an optimizers entry):\n%s\nLearning-rate schedules (--schedule; η_t for step t of T):\n%s", optim.Describe(), optim.DescribeParams(), optim.DescribeSchedules())
}

// resolveConfig is the configuration of the command's flags (config.Flags);
// a mistake in the flags themselves is a usage error.
func resolveConfig(cmd *cobra.Command, f *config.Flags) (config.Config, error) {
	c, err := f.Resolve(cmd.Flags())
	var fe *config.FlagError
	if errors.As(err, &fe) {
		return config.Config{}, usagef(cmd, "%s", fe.Msg)
	}
	return c, err
}
