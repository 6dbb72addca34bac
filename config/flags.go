package config

import (
	"github.com/spf13/pflag"

	"github.com/adamgap/adamgap/optim"
)

// HyperFlags are the command-line flags of the optimiser hyper-parameters,
// one per row of optim.ParamTable: --lr, --beta1, …, --weight-decay (the
// YAML key with '-' for '_'), a boolean flag for a switch (--nesterov);
// and of the schedule parameters, one per row of optim.ScheduleParamTable:
// --schedule-gamma, --schedule-step-size, --schedule-min-lr. Their help
// text is the tables' (Help).
type HyperFlags struct {
	fs     *pflag.FlagSet
	values map[string]*float64 // by flag name
	bools  map[string]*bool
	ints   map[string]*int
	param  map[string]string // parameter name by flag name
	hyper  []string          // the hyper-parameters' flags, in ParamTable's order
	sched  []string          // the schedule parameters' flags, in ScheduleParamTable's order
}

// AddHyperFlags registers the hyper-parameter and schedule-parameter flags
// on fs.
func AddHyperFlags(fs *pflag.FlagSet) *HyperFlags {
	h := &HyperFlags{fs: fs, values: map[string]*float64{}, bools: map[string]*bool{}, ints: map[string]*int{}, param: map[string]string{}}
	for _, p := range optim.ParamTable() {
		if p.Bool {
			h.bools[p.Flag()] = fs.Bool(p.Flag(), false, p.Help())
		} else {
			h.values[p.Flag()] = fs.Float64(p.Flag(), 0, p.Help())
		}
		h.param[p.Flag()] = p.Name
		h.hyper = append(h.hyper, p.Flag())
	}
	for _, p := range optim.ScheduleParamTable() {
		if p.Int {
			h.ints[p.Flag()] = fs.Int(p.Flag(), 0, p.Help())
		} else {
			h.values[p.Flag()] = fs.Float64(p.Flag(), 0, p.Help())
		}
		h.param[p.Flag()] = p.Name
		h.sched = append(h.sched, p.Flag())
	}
	return h
}

// HyperValue is a hyper-parameter the user set on the command line.
type HyperValue struct {
	Flag  string  // the flag's name, e.g. "weight-decay"
	Param string  // the parameter's name, e.g. "weight_decay"
	Value float64 // a switch as 1 or 0
}

// Changed returns the hyper-parameters whose flags were set, in the table's
// order; optim.Spec.Set applies one.
func (h *HyperFlags) Changed() []HyperValue { return h.changed(h.hyper) }

// ScheduleChanged returns the schedule parameters whose flags were set, in
// the table's order; optim.ScheduleSpec.Set applies one.
func (h *HyperFlags) ScheduleChanged() []HyperValue { return h.changed(h.sched) }

// changed returns the values of the flags set among flags, in their order.
func (h *HyperFlags) changed(flags []string) []HyperValue {
	var out []HyperValue
	for _, flag := range flags {
		if !h.fs.Changed(flag) {
			continue
		}
		v := HyperValue{Flag: flag, Param: h.param[flag]}
		switch {
		case h.bools[flag] != nil:
			v.Value = b2f(*h.bools[flag])
		case h.ints[flag] != nil:
			v.Value = float64(*h.ints[flag])
		default:
			v.Value = *h.values[flag]
		}
		out = append(out, v)
	}
	return out
}
