package explorer

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/adamgap/adamgap/paper"
)

// reportTables are the reports "adamgap reproduce" writes as JSON beside
// (or instead of) a run's files, by file name: each is read back into its
// type and shown as the table the CLI prints for it (its Table method).
var reportTables = map[string]func([]byte) (string, error){
	"convex.json":       tableOf[paper.ConvexReport],
	"lemmas.json":       tableOf[paper.LemmasReport],
	"stochastic.json":   tableOf[paper.StochasticReport],
	"figure1.json":      tableOf[paper.Figure1Report],
	"table1_seeds.json": tableOf[paper.Table1SeedsReport],
	"phase.json":        tableOf[paper.PhaseReport],
	"benign.json":       tableOf[paper.BenignReport],
	"labelflip.json":    tableOf[paper.LabelFlipReport],
	"family.json":       tableOf[paper.FamilyReport],
}

func tableOf[R any, P interface {
	*R
	Table() string
}](b []byte) (s string, err error) {
	var r R
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&r); err != nil {
		return "", err
	}
	defer func() {
		if p := recover(); p != nil { // a hand-edited report the table cannot show
			err = fmt.Errorf("the report cannot be shown as a table: %v", p)
		}
	}()
	return P(&r).Table(), nil
}
