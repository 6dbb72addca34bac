package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestHelpDefaultsOnce: no flag's help line states its default twice
// (issue 20: "(default: half of this machine's memory) (default 11.8 GiB)").
func TestHelpDefaultsOnce(t *testing.T) {
	claim := regexp.MustCompile(`\(default|default\)`)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			fs := pflag.NewFlagSet("", pflag.ContinueOnError)
			fs.AddFlag(f)
			line := strings.TrimSpace(fs.FlagUsages())
			if n := len(claim.FindAllString(line, -1)); n > 1 {
				t.Errorf("%s --%s states its default %d times: %s", c.CommandPath(), f.Name, n, line)
			}
		})
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	for _, c := range commands {
		walk(c())
	}
}
