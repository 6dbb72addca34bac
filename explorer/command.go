package explorer

import (
	"slices"
	"strconv"
	"strings"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/shquote"
	"github.com/adamgap/adamgap/optim"
)

// Command returns the shell command that makes the run of c with
// "adamgap run" into the folder out: a flag for every key of the
// configuration (config.Keys, in its order) whose value differs from the
// paper's (the CLI's defaults), or, when several optimisers have
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
	var names, paperNames []string
	for _, o := range c.Optimizers {
		names = append(names, o.Name)
	}
	for _, o := range p.Optimizers {
		paperNames = append(paperNames, o.Name)
	}
	if !slices.Equal(names, paperNames) {
		flag("optimizer", strings.Join(names, ","))
	}
	for _, k := range config.Keys() {
		if v := k.Canonical(c); v != k.Canonical(p) {
			flag(k.Flag(), shellQuote(v))
		}
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
				p, _ := optim.LookupScheduleParam(name)
				v, _ := o.Schedule.Get(name)
				flag(p.Flag(), num(v))
			}
		}
	}
	flag("out", shellQuote(out))
	return strings.Join(args, " ")
}

func shellQuote(s string) string { return shquote.Quote(s) }
