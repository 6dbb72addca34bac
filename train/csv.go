package train

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
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
		row = row[:0]
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
		row = append(row, formatFloat(r.Sign.Fraction()), coords)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
