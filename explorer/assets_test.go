package explorer

import (
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestColoursAreFigure2s: the page draws feature learning and noise
// memorisation in report/figure2.go's colours.
func TestColoursAreFigure2s(t *testing.T) {
	goSrc, err := os.ReadFile("../report/figure2.go")
	if err != nil {
		t.Fatal(err)
	}
	js, err := fs.ReadFile(static, "static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	for goName, jsName := range map[string]string{"featureColor": "FEATURE", "noiseColor": "NOISE"} {
		m := regexp.MustCompile(goName + `\s*=\s*color\.RGBA\{R: 0x(..), G: 0x(..), B: 0x(..)`).FindSubmatch(goSrc)
		if m == nil {
			t.Fatalf("report/figure2.go defines no %s", goName)
		}
		want := "#" + strings.ToLower(string(m[1])+string(m[2])+string(m[3]))
		if !regexp.MustCompile(`const ` + jsName + ` = '` + want + `'`).Match(js) {
			t.Errorf("app.js's %s is not %s, report/figure2.go's %s", jsName, want, goName)
		}
	}
}

// TestAssetsEmbedded: the page and everything it loads are served from the
// binary, and the page loads nothing from elsewhere.
func TestAssetsEmbedded(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	page := ""
	for _, path := range []string{"/", "/app.js", "/style.css", "/vendor/uplot/uPlot.iife.min.js", "/vendor/uplot/uPlot.min.css", "/vendor/uplot/LICENSE"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusOK || len(body) < 100 {
			t.Errorf("GET %s: %d, %d bytes", path, resp.StatusCode, len(body))
		}
		if path == "/" {
			page = body
		}
	}
	for _, ref := range regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if strings.Contains(ref[1], "//") {
			t.Errorf("the page loads %s from elsewhere", ref[1])
		}
	}
}
