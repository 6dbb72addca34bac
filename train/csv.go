package train

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"sync"
)

// CSVHeader is the header row of metrics.csv; other tools read these names.
// The first 13 columns are fixed; later issues append columns at the end:
// sign_agree and sign_coords are Lemma A.2's probe of the update from this
// row's step to the next (SignAgreement.Fraction and Coords), empty where
// it was not measured.
var CSVHeader = []string{
	"optimizer", "step", "loss", "train_error", "test_error",
	"feature_pos", "feature_neg", "noise_min_pos", "noise_min_neg",
	"noise_max_pos", "noise_max_neg", "grad_l1", "grad_l2sq",
	"sign_agree", "sign_coords",
}

// WriteCSV writes the header and one row per record. Floats are written in
// the shortest form that reads back to the same float64; a test error or a
// probe that was not evaluated is an empty field (NaN in pandas).
func WriteCSV(w io.Writer, records []Record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	row := make([]string, len(CSVHeader))
	for _, r := range records {
		if err := cw.Write(csvRow(row[:0], r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRow appends the fields of r to row.
func csvRow(row []string, r Record) []string {
	row = append(row, r.Optimizer, strconv.Itoa(r.Step))
	for _, v := range []float64{
		r.Loss, r.TrainError, r.TestError,
		r.FeaturePos, r.FeatureNeg, r.NoiseMinPos, r.NoiseMinNeg,
		r.NoiseMaxPos, r.NoiseMaxNeg, r.GradL1, r.GradL2Sq,
	} {
		row = append(row, formatFloat(v))
	}
	coords := ""
	if r.Sign.Measured {
		coords = strconv.Itoa(r.Sign.Coords)
	}
	return append(row, formatFloat(r.Sign.Fraction()), coords)
}

// CSVRecorder is a Recorder that writes each row to w as WriteCSV does,
// flushed as soon as it is recorded, so a run that is killed keeps every
// row it logged. It is safe for concurrent use; rows of concurrent runs
// appear in the order they were logged.
type CSVRecorder struct {
	mu  sync.Mutex
	cw  *csv.Writer
	row []string
}

// NewCSVRecorder writes the header to w and returns the recorder.
func NewCSVRecorder(w io.Writer) (*CSVRecorder, error) {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	return &CSVRecorder{cw: cw}, nil
}

// Record writes and flushes one row.
func (c *CSVRecorder) Record(r Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.row = csvRow(c.row[:0], r)
	c.cw.Write(c.row)
	c.cw.Flush()
	return c.cw.Error()
}

func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
