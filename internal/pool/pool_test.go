package pool

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestRunOrderAndBound(t *testing.T) {
	for _, jobs := range []int{0, 1, 3, 50} {
		var running, most atomic.Int32
		out := make([]int, 20)
		err := Run(context.Background(), len(out), jobs, func(_ context.Context, i int) error {
			r := running.Add(1)
			for {
				m := most.Load()
				if r <= m || most.CompareAndSwap(m, r) {
					break
				}
			}
			out[i] = i * i
			running.Add(-1)
			return nil
		})
		if err != nil {
			t.Fatalf("jobs=%d: %v", jobs, err)
		}
		for i, v := range out {
			if v != i*i {
				t.Fatalf("jobs=%d: out[%d] = %d, want %d", jobs, i, v, i*i)
			}
		}
		if int(most.Load()) > Jobs(jobs) {
			t.Errorf("jobs=%d: %d calls at once, want at most %d", jobs, most.Load(), Jobs(jobs))
		}
	}
}

func TestRunJoinsErrorsInIndexOrder(t *testing.T) {
	err := Run(context.Background(), 6, 3, func(_ context.Context, i int) error {
		if i%2 == 1 {
			return fmt.Errorf("call %d", i)
		}
		return nil
	})
	if err == nil || err.Error() != "call 1\ncall 3\ncall 5" {
		t.Fatalf("err = %q, want the three errors in index order", err)
	}
}

func TestRunStopsStartingWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	err := Run(ctx, 100, 1, func(_ context.Context, i int) error {
		calls.Add(1)
		if i == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if c := calls.Load(); c > 4 {
		t.Errorf("%d calls after cancelling at the third, want at most 4", c)
	}
	if err := Run(context.Background(), 0, 2, nil); err != nil {
		t.Errorf("n=0: %v", err)
	}
}
