package explorer

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/internal/testenv"
	"github.com/adamgap/adamgap/report"
)

var (
	paperRun = flag.Bool("paper", false, "browser test: also run the paper's size from the page and log its timings")
	shotPath = flag.String("screenshot", "", "browser test: write a screenshot of the page after the paper's run to this file (with -paper), e.g. ../docs/explorer.png")
)

// chromiumPath finds Debian's chromium. Without it the browser test is
// skipped, except under CI, where that is a failure (.ci/run installs it).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ADAMGAP_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	testenv.Missing(t, "chromium is missing (apt-get install chromium; .ci/run installs it)")
	return ""
}

// artifactDir is where the browser test leaves its screenshot: $ARTIFACTS,
// else a folder in the system's temporary folder.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "adamgap-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// artifact writes a file of the test's artefacts.
func artifact(t *testing.T, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(artifactDir(t), name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// setForm types the configuration c into the page's form.
func setForm(c config.Config) chromedp.Action[chromedp.Void] {
	var acts []chromedp.Action[chromedp.Void]
	for k, v := range FormOf(c).Fields {
		acts = append(acts, chromedp.SetValue(chromedp.CSS(`#f-`+k), v))
	}
	for i, o := range FormOf(c).Optimizers {
		for p, v := range o.Params {
			acts = append(acts, chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`[data-field="optimizers[%d].%s"]`, i, p)), v))
		}
	}
	return chromedp.Steps(acts...)
}

// waitJS polls a JavaScript condition until it holds.
func waitJS(cond string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(60*time.Second))
}

// click clicks the first element that matches sel once it exists and is
// enabled. It finds and clicks in one JavaScript call, so a list that
// re-renders between finding and clicking (as the results browser does
// while it refreshes) cannot leave it holding a node that is gone — which
// chromedp.Click, finding the node first, does under load.
func click(sel string) chromedp.Action[chromedp.Void] {
	return waitJS(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e || e.disabled) return false; e.click(); return true; })()`, sel))
}

// value runs an action that returns a value.
func value[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// TestBrowser drives the page in headless Chromium: change α, run Adam and
// GD at a small size, wait for the curves, read Table 1 off the page and
// compare it with the library's run of the same configuration; see the
// weights; save the run; stop a long run; run a small sweep; open results
// folders side by side. It leaves a screenshot in artifactDir.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	chrome := chromiumPath(t)
	began := time.Now()
	root := t.TempDir()
	// A results folder written as "adamgap run" writes it.
	folder := fixture.Small()
	_, o := libraryRun(t, folder)
	if err := writeRun(o, filepath.Join(root, "earlier-run")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"convex", "lemmas", "stochastic"} {
		b, err := os.ReadFile(filepath.Join("..", "cmd", "adamgap", "testdata", "golden", name, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(root, name), 0o755)
		os.WriteFile(filepath.Join(root, name, name+".json"), b, 0o644)
	}
	for _, name := range []string{"benign", "labelflip", "family"} {
		b, err := os.ReadFile(filepath.Join("testdata", "reproduce", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(root, name), 0o755)
		os.WriteFile(filepath.Join(root, name, name+".json"), b, 0o644)
		writeFigure(t, name, b, filepath.Join(root, name, name+".png"))
	}
	srv, err := New(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer func() { ts.Close(); srv.Close() }()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	defer cancelCtx()
	run := func(what string, acts ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, acts...); err != nil {
			page, _ := chromedp.Run(context.WithoutCancel(ctx), chromedp.Evaluate[string](
				`'status: ' + document.querySelector('#status').textContent + '; errors: ' + Array.from(document.querySelectorAll('.err')).map(e => e.textContent).filter(Boolean).join('; ')`))
			if shot, err := chromedp.Run(context.WithoutCancel(ctx), chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(filepath.Join(artifactDir(t), "explorer-browser-test-failure.png"), shot, 0o644)
			}
			t.Fatalf("%s: %v (page: %s)", what, err, page)
		}
	}
	// The first action starts the browser, so it runs without a timeout
	// (which would stop the browser); the rest share one.
	run("open the page", chromedp.Navigate(ts.URL))
	browserCtx := ctx
	ctx, cancel := context.WithTimeout(browserCtx, 3*time.Minute)
	defer cancel()

	// Run Adam and GD at a small size, with α changed by typing.
	cfg := fixture.Small()
	cfg.Alpha = 0.3
	run("page ready", waitJS(`document.body.dataset.ready === 'true'`))
	// Every key of the form (config.Keys but files) has its field, drawn
	// from /api/defaults' keys.
	for _, k := range FormKeys() {
		if !value(t, ctx, "field "+k.Name, chromedp.Evaluate[bool](`document.querySelector('[data-field="`+k.Name+`"]') !== null`)) {
			t.Errorf("the page's form has no field %s", k.Name)
		}
	}
	// Bad input: the CLI's message beside the field, nothing run.
	bad := fixture.Small()
	bad.S = bad.D
	_, wantErr := FormOf(bad).Config()
	run("bad input", setForm(bad), click(`#run`),
		waitJS(`document.querySelector('[data-err-for="s"]').textContent !== ''`))
	if got := value(t, ctx, "message", chromedp.Text(chromedp.CSS(`[data-err-for="s"]`))); got != wantErr.Error() {
		t.Errorf("beside s the page says %q, the CLI %q", got, wantErr)
	}
	if got := value(t, ctx, "Table 1 after a refusal", chromedp.Text(chromedp.CSS(`#table1`))); strings.Contains(got, "Training") {
		t.Errorf("after a refused configuration Table 1 says %q", got)
	}
	// Before any sweep, the sweep's command box is not shown.
	run("sweep tab", click(`#tab-sweep`))
	if shown := value(t, ctx, "sweep command box", chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('#sweep-cmd-box')).display !== 'none'`)); shown {
		t.Error("the sweep tab shows an empty command box before any sweep")
	}
	run("run tab", click(`#tab-run`))
	run("fill the form", setForm(fixture.Small()))
	value(t, ctx, "select α", chromedp.Evaluate[bool](`(document.querySelector('#f-alpha').select(), true)`))
	run("type α", chromedp.SendKeys(chromedp.CSS(`#f-alpha`), "0.3"))
	run("run", click(`#run`),
		waitJS(`document.querySelectorAll('#fig2 canvas').length === 2 && window.explorerStats.updates > 0`),
		waitJS(`document.querySelector('#table1-table') !== null`))
	cells := value(t, ctx, "read Table 1", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('#table1-table td')).map(td => [td.dataset.opt, td.dataset.key, td.dataset.value])`))
	_, want := libraryRun(t, cfg)
	checked := 0
	for _, r := range want.Summary().Runs {
		expect := map[string]float64{
			"train_error": *r.TrainError, "test_error": *r.TestError, "final_loss": *r.FinalLoss,
			"best_train_error": r.Best.TrainError, "best_test_error": r.Best.TestError, "best_step": float64(r.Best.Step),
		}
		for _, c := range cells {
			w, ok := expect[c[1]]
			if c[0] != r.Optimizer || !ok {
				continue
			}
			got, err := strconv.ParseFloat(c[2], 64)
			if err != nil || got != w {
				t.Errorf("Table 1 on the page: %s %s = %q, the library gives %v", c[0], c[1], c[2], w)
			}
			checked++
		}
	}
	if checked != 12 {
		t.Fatalf("compared %d numbers of Table 1, want 12 (6 rows × 2 optimisers); cells %v", checked, cells)
	}
	// Every row the CLI prints (report.Table1), in its order, with the
	// per-class test errors the library computes.
	var cliRows []string
	for _, line := range strings.Split(report.Table1(want.Results), "\n")[2:] {
		if cells := strings.Split(line, "|"); len(cells) > 2 {
			cliRows = append(cliRows, strings.TrimSpace(cells[1]))
		}
	}
	pageRows := value(t, ctx, "Table 1 rows", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#table1-table tbody th')).map(th => th.textContent)`))
	if strings.Join(pageRows, "\n") != strings.Join(cliRows, "\n") {
		t.Errorf("Table 1 on the page has rows\n%q\nthe CLI prints\n%q", pageRows, cliRows)
	}
	str := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	for _, r := range want.Summary().Runs {
		for key, w := range map[string]string{"test_error_by_class": str(r.TestErrorPos) + "/" + str(r.TestErrorNeg),
			"best_test_error_by_class": str(r.Best.TestErrorPos) + "/" + str(r.Best.TestErrorNeg)} {
			found := false
			for _, c := range cells {
				if c[0] == r.Optimizer && c[1] == key {
					found = true
					if c[2] != w {
						t.Errorf("Table 1 on the page: %s %s = %q, the library gives %q", c[0], key, c[2], w)
					}
				}
			}
			if !found {
				t.Errorf("Table 1 on the page has no %s of %s", key, r.Optimizer)
			}
		}
	}
	if cut := value(t, ctx, "command box", chromedp.Evaluate[bool](`(() => { const e = document.querySelector('#command'); return e.scrollWidth > e.clientWidth + 1; })()`)); cut {
		t.Error("the command is cut at the edge of its box")
	}
	stats := value(t, ctx, "timings", chromedp.Evaluate[map[string]any](`window.explorerStats`))
	t.Logf("small run: first curve update after %.0f ms, Table 1 after %.0f ms, %v updates", stats["firstUpdateMs"], stats["tableMs"], stats["updates"])

	// The weights of both optimisers at the last step.
	run("weights", click(`#tab-weights`),
		waitJS(`document.querySelectorAll('#scatter canvas').length === 2`))
	if scales := value(t, ctx, "weight panels' scales", chromedp.Evaluate[[][]float64](`window.explorerStats.scatterScales`)); len(scales) != 2 || fmt.Sprint(scales[0]) != fmt.Sprint(scales[1]) {
		t.Errorf("Adam's and GD's weight panels have the scales %v; want one scale for both", scales)
	}
	artifact(t, "explorer-weights.png", value(t, ctx, "screenshot", chromedp.FullScreenshot(100)))
	run("back", click(`#tab-run`))

	// Save the run under the root: the files of "adamgap run".
	run("save", chromedp.SetValue(chromedp.CSS(`#save-name`), "from-page"), click(`#save`),
		waitJS(`document.querySelector('#saved').textContent.includes('Saved')`))
	for _, name := range []string{"config.yaml", "metrics.csv", "weights.npz", "data.npz", "summary.json", "table1.md", "figure2.png", "figure2.svg"} {
		if _, err := os.Stat(filepath.Join(root, "from-page", name)); err != nil {
			t.Errorf("saved folder: %v", err)
		}
	}

	// A long run takes every slot; reloading the page mid-run reconnects
	// to it: the curves are replayed from step 0 and continue. A second
	// tab waits in the queue, told its place, and runs once the first is
	// stopped.
	long := fixture.Small()
	long.Steps, long.LogEvery, long.TestEvery = 10_000_000, 1000, 0
	run("start a long run", setForm(long), click(`#run`),
		waitJS(`window.explorerStats.updates > 2`))
	before := value(t, ctx, "run before reload", chromedp.Evaluate[map[string]any](`({id: window.explorerStats.runID, last: window.explorerStats.lastStep})`))
	run("reload mid-run", chromedp.Reload(), waitJS(`document.body.dataset.ready === 'true'`),
		waitJS(fmt.Sprintf(`window.explorerStats.runID === %q && window.explorerStats.firstStep === 0 && window.explorerStats.lastStep > %v && document.querySelectorAll('#fig2 canvas').length === 2 && document.querySelector('#status').textContent.startsWith('Training')`, before["id"], before["last"])))
	second, closeSecond := chromedp.NewContext(browserCtx)
	defer closeSecond()
	if err := chromedp.Do(second, chromedp.Navigate(ts.URL), waitJS(`document.body.dataset.ready === 'true'`),
		setForm(fixture.Small()), click(`#run`),
		waitJS(`document.querySelector('#status').textContent.includes('place 1 in the queue')`)); err != nil {
		t.Fatalf("second tab: %v", err)
	}
	run("stop the long run", click(`#stop`),
		waitJS(`document.querySelector('#status').textContent.startsWith('Stopped') && !document.querySelector('#run').disabled`))
	if err := chromedp.Do(second, waitJS(`document.querySelector('#table1-table') !== null`)); err != nil {
		t.Fatalf("second tab after the first stopped: %v", err)
	}
	closeSecond()
	waitIdle(t, srv)

	// An α × σp sweep fills its heat map. (The first tab is brought to
	// the front again: the second took the focus.)
	run("front", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.BringToFront, cdp.Empty{})
		return err
	}))
	run("sweep", setForm(fixture.Small()), click(`#tab-sweep`),
		chromedp.SetValue(chromedp.CSS(`#sx-values`), "0, 0.3"),
		chromedp.SetValue(chromedp.CSS(`#sy-values`), "0.1, 0.5"),
		chromedp.SetValue(chromedp.CSS(`#s-seeds`), "1"),
		click(`#sweep-run`),
		waitJS(`document.querySelectorAll('#heatmap rect.cell[data-mean]:not([data-mean=""])').length === 4 && !document.querySelector('#sweep-run').disabled`))
	tip := value(t, ctx, "focus a cell", chromedp.Evaluate[string](`(document.querySelector('#heatmap rect.cell').focus(), document.querySelector('#tip').hidden ? '' : document.querySelector('#tip').textContent)`))
	if !strings.Contains(tip, " ± ") || !strings.Contains(tip, "over 1 seed") {
		t.Errorf("a focused heat-map cell shows %q, want its mean ± sd", tip)
	}
	artifact(t, "explorer-sweep.png", value(t, ctx, "screenshot", chromedp.FullScreenshot(100)))

	// A slower sweep, the page reloaded after its first cell: the heat
	// map is replayed and fills to the end.
	slow := fixture.Small()
	slow.Steps = 20_000
	run("slow sweep", setForm(slow), click(`#tab-sweep`),
		chromedp.SetValue(chromedp.CSS(`#s-seeds`), "2"),
		click(`#sweep-run`),
		waitJS(`document.querySelectorAll('#heatmap rect.cell[data-mean]:not([data-mean=""])').length >= 1`))
	run("reload mid-sweep", chromedp.Reload(), waitJS(`document.body.dataset.ready === 'true'`), click(`#tab-sweep`),
		waitJS(`document.querySelectorAll('#heatmap rect.cell[data-mean]:not([data-mean=""])').length === 4 && document.querySelector('#sweep-status').textContent.startsWith('Done: ') && !document.querySelector('#sweep-run').disabled`))

	// Open the earlier folder and the saved one side by side.
	run("open results", click(`#tab-results`),
		waitJS(`document.querySelector('[data-open="earlier-run"][data-pane="0"]') !== null`),
		click(`[data-open="earlier-run"][data-pane="0"]`),
		click(`[data-open="from-page"][data-pane="1"]`),
		waitJS(`document.querySelectorAll('#pane-0 .table1 table, #pane-1 .table1 table').length === 2 && document.querySelectorAll('#pane-0 canvas').length >= 2`))
	left := value(t, ctx, "left pane", chromedp.Text(chromedp.CSS(`#pane-0 .table1 table`)))
	right := value(t, ctx, "right pane", chromedp.Text(chromedp.CSS(`#pane-1 .table1 table`)))
	for _, text := range []string{left, right} {
		if !strings.Contains(text, "Test error (last iterate)") {
			t.Errorf("a results pane shows no Table 1: %q", text)
		}
	}
	if w := value(t, ctx, "page width", chromedp.Evaluate[[]float64](`[document.documentElement.scrollWidth, window.innerWidth]`)); w[0] > w[1] {
		t.Errorf("with two results panes open the page is %v px wide in a %v px window", w[0], w[1])
	}
	shot := value(t, ctx, "screenshot", chromedp.FullScreenshot(100))
	artifact(t, "explorer-browser-test.png", shot)

	// The folders of reproduce's other experiments open with their tables,
	// the family's with their heat maps too.
	for i, name := range []string{"convex", "lemmas", "stochastic", "benign", "labelflip", "family"} {
		pane := fmt.Sprint(i % 2)
		figure := "true"
		if i >= 3 {
			figure = fmt.Sprintf(`document.querySelector('#pane-%s img[alt="%s.png"]') !== null`, pane, name)
		}
		run("open "+name, click(`#crumbs button`),
			click(fmt.Sprintf(`[data-open=%q][data-pane=%q]`, name, pane)),
			waitJS(fmt.Sprintf(`document.querySelector('#pane-%s').dataset.path === %q && document.querySelector('#pane-%s .report[data-table="%s.json"] table') !== null && %s`, pane, name, pane, name, figure)))
	}

	// The family's keys from the form: gaussian noise, ‖μ‖, label noise,
	// leaky ReLU, the 1/m output, and SAM (chosen in the optimiser's list)
	// beside GD; the page shows the test error on the clean labels that
	// the library computes.
	fam := FormOf(fixture.Small())
	for k, v := range map[string]string{"noise": "gaussian", "signal_norm": "3", "label_noise": "0.2", "activation": "leaky_relu", "slope": "0.1", "output_scale": "mean"} {
		fam.Fields[k] = v
	}
	fam.Optimizers[0] = OptimizerForm{Name: "sam", Params: map[string]string{"lr": "0.5", "radius": "0.05", "momentum": "0"}}
	famCfg, err := fam.Config()
	if err != nil {
		t.Fatal(err)
	}
	run("family run", click(`#tab-run`), chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('[data-field="optimizers[0].name"]'); s.value = 'sam'; s.dispatchEvent(new Event('change')); })()`),
		setForm(famCfg), click(`#run`),
		waitJS(`document.querySelector('#table1 .clean-table') !== null`))
	cleanCells := value(t, ctx, "clean test errors", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('#table1 .clean-table td')).map(td => [td.dataset.opt, td.dataset.key, td.dataset.value])`))
	_, famRun := libraryRun(t, famCfg)
	checked = 0
	for _, r := range famRun.Summary().Runs {
		for _, c := range cleanCells {
			if c[0] == r.Optimizer && c[1] == "test_error_clean" {
				if r.TestErrorClean == nil || c[2] != strconv.FormatFloat(*r.TestErrorClean, 'g', -1, 64) {
					t.Errorf("%s's test error on the clean labels: the page shows %q, the library gives %v", r.Optimizer, c[2], r.TestErrorClean)
				}
				checked++
			}
		}
	}
	if checked != 2 || famRun.Summary().Runs[0].Optimizer != "sam" {
		t.Errorf("the page shows the clean test errors %v of the runs %v", cleanCells, famRun.Summary().Runs)
	}
	t.Logf("screenshots in %s; browser test took %.1f s", artifactDir(t), time.Since(began).Seconds())

	if *paperRun {
		run("paper's run", click(`#tab-run`), click(`#reset`),
			click(`#run`),
			waitJS(`document.querySelector('#table1-table') !== null && window.explorerStats.tableMs !== null`))
		stats = value(t, ctx, "timings", chromedp.Evaluate[map[string]any](`window.explorerStats`))
		t.Logf("paper's size: first curve update after %.0f ms, Table 1 after %.0f ms, %v updates, %.1f updates/s",
			stats["firstUpdateMs"], stats["tableMs"], stats["updates"], stats["updatesPerSecond"])
		if *shotPath != "" {
			run("settle", chromedp.Sleep(300*time.Millisecond))
			shot = value(t, ctx, "screenshot", chromedp.FullScreenshot(100))
			if err := os.WriteFile(*shotPath, shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
