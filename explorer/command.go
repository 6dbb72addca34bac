package explorer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/optim"
)

// Command returns the shell command that makes the run of c with
// "adamgap run" into the folder out: flags for the values that differ from
// the paper's (the CLI's defaults), or, when several optimisers have
// hyper-parameters of their own (which flags cannot say), a config.yaml
// written by a here-document and given to --config.
func Command(c config.Config, out string) string {
	var custom bool
	for _, o := range c.Optimizers {
		d, _ := optim.Default(o.Name)
		if o != d {
			custom = true
		}
	}
	if custom && len(c.Optimizers) > 1 {
		y, _ := c.Marshal()
		return "cat > explorer.yaml <<'EOF'\n" + string(y) + "EOF\nadamgap run --config explorer.yaml --out " + shellQuote(out)
	}
	p := config.Paper()
	args := []string{"adamgap", "run"}
	flag := func(name, v string) { args = append(args, "--"+name, v) }
	var names []string
	for _, o := range c.Optimizers {
		names = append(names, o.Name)
	}
	var paperNames []string
	for _, o := range p.Optimizers {
		paperNames = append(paperNames, o.Name)
	}
	if !slices.Equal(names, paperNames) {
		flag("optimizer", strings.Join(names, ","))
	}
	ints := []struct {
		name      string
		got, want int
	}{
		{"d", c.D, p.D}, {"n", c.N, p.N}, {"s", c.S, p.S}, {"test-size", c.TestSize, p.TestSize},
		{"m", c.M, p.M}, {"q", c.Q, p.Q}, {"steps", c.Steps, p.Steps}, {"log-every", c.LogEvery, p.LogEvery},
		{"test-every", c.TestEvery, p.TestEvery}, {"batch-size", c.BatchSize, p.BatchSize},
	}
	floats := []struct {
		name      string
		got, want float64
	}{
		{"sigma-p", c.SigmaP, p.SigmaP}, {"alpha", c.Alpha, p.Alpha}, {"sigma0", c.Sigma0, p.Sigma0},
		{"lambda", c.Lambda, p.Lambda}, {"sign-threshold", c.SignThreshold, p.SignThreshold},
	}
	for _, f := range ints[:3] {
		if f.got != f.want {
			flag(f.name, strconv.Itoa(f.got))
		}
	}
	for _, f := range floats[:2] {
		if f.got != f.want {
			flag(f.name, num(f.got))
		}
	}
	for _, f := range ints[3:] {
		if f.got != f.want {
			flag(f.name, strconv.Itoa(f.got))
		}
	}
	for _, f := range floats[2:] {
		if f.got != f.want {
			flag(f.name, num(f.got))
		}
	}
	if c.Seed != p.Seed {
		flag("seed", strconv.FormatUint(c.Seed, 10))
	}
	if c.DType != "" {
		flag("dtype", c.DType)
	}
	if c.DataLayout != "" {
		flag("data-layout", c.DataLayout)
	}
	if c.DataFrom != "" {
		flag("data-from", shellQuote(c.DataFrom))
	}
	if c.InitFrom != "" {
		flag("init-from", shellQuote(c.InitFrom))
	}
	if len(c.Optimizers) == 1 {
		o := c.Optimizers[0]
		d, _ := optim.Default(o.Name)
		for _, name := range o.Params() {
			v, _ := o.Get(name)
			dv, _ := d.Get(name)
			if v == dv {
				continue
			}
			p, _ := optim.LookupParam(name)
			if p.Bool {
				args = append(args, "--"+p.Flag()+"="+strconv.FormatBool(v == 1))
				continue
			}
			flag(p.Flag(), num(v))
		}
		if !o.Schedule.IsConstant() {
			flag("schedule", o.Schedule.Kind)
			for _, name := range o.Schedule.Params() {
				switch name {
				case "gamma":
					flag("schedule-gamma", num(o.Schedule.Gamma))
				case "step_size":
					flag("schedule-step-size", strconv.Itoa(o.Schedule.StepSize))
				case "min_lr":
					flag("schedule-min-lr", num(o.Schedule.MinLR))
				}
			}
		}
	}
	flag("out", shellQuote(out))
	return strings.Join(args, " ")
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./,:=+-]+$`)

func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
