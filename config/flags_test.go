package config

import (
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/adamgap/adamgap/optim"
)

// TestHyperFlags: one flag per row of the table, with the table's help;
// Changed returns exactly the flags given, in the table's order, a switch
// as 1 or 0.
func TestHyperFlags(t *testing.T) {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	h := AddHyperFlags(fs)
	for _, p := range optim.ParamTable() {
		f := fs.Lookup(p.Flag())
		if f == nil {
			t.Errorf("no flag --%s", p.Flag())
			continue
		}
		if f.Usage != p.Help() {
			t.Errorf("--%s usage %q, want the table's %q", p.Flag(), f.Usage, p.Help())
		}
	}
	if err := fs.Parse(strings.Fields("--rho 0.5 --nesterov --lr 1e-3 --weight-decay 0")); err != nil {
		t.Fatal(err)
	}
	want := []HyperValue{{"lr", "lr", 1e-3}, {"nesterov", "nesterov", 1}, {"weight-decay", "weight_decay", 0}, {"rho", "rho", 0.5}}
	if got := h.Changed(); !reflect.DeepEqual(got, want) {
		t.Errorf("Changed() = %v, want %v", got, want)
	}

	fs = pflag.NewFlagSet("test", pflag.ContinueOnError)
	h = AddHyperFlags(fs)
	if err := fs.Parse([]string{"--nesterov=false"}); err != nil {
		t.Fatal(err)
	}
	if got := h.Changed(); !reflect.DeepEqual(got, []HyperValue{{"nesterov", "nesterov", 0}}) {
		t.Errorf("--nesterov=false: Changed() = %v", got)
	}
}

// TestScheduleFlags: one flag per row of the schedule table; a whole-number
// parameter is an int flag.
func TestScheduleFlags(t *testing.T) {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	h := AddHyperFlags(fs)
	for _, p := range optim.ScheduleParamTable() {
		f := fs.Lookup(p.Flag())
		if f == nil || f.Usage != p.Help() {
			t.Errorf("--%s: %+v, want a flag with the table's help %q", p.Flag(), f, p.Help())
		}
	}
	if err := fs.Parse(strings.Fields("--schedule-step-size 7 --schedule-gamma 0.5 --lr 1")); err != nil {
		t.Fatal(err)
	}
	want := []HyperValue{{"schedule-gamma", "gamma", 0.5}, {"schedule-step-size", "step_size", 7}}
	if got := h.ScheduleChanged(); !reflect.DeepEqual(got, want) {
		t.Errorf("ScheduleChanged() = %v, want %v", got, want)
	}
	if got := h.Changed(); !reflect.DeepEqual(got, []HyperValue{{"lr", "lr", 1}}) {
		t.Errorf("Changed() = %v", got)
	}
	if err := fs.Parse([]string{"--schedule-step-size", "2.5"}); err == nil {
		t.Error("--schedule-step-size 2.5 accepted")
	}
}
