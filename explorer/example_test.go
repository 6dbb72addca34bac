package explorer_test

import (
	"fmt"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/explorer"
)

// The command the page offers for a view: the paper's settings with α
// changed.
func ExampleCommand() {
	c := config.Paper()
	c.Alpha = 0.3
	fmt.Println(explorer.Command(c, "runs/alpha03"))
	// Output: adamgap run --alpha 0.3 --out runs/alpha03
}

// A form as the page sends it is read as "adamgap run --config" reads a
// file, with the same messages.
func ExampleForm_Config() {
	f := explorer.FormOf(config.Paper())
	f.Fields["s"] = "1000"
	_, err := f.Config()
	fmt.Println(err)
	// Output: config: s=1000 must be in [1, d-1=999]
}
