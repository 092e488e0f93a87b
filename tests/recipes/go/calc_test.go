package calc

import (
	"sync"
	"testing"
)

func TestAdd(t *testing.T) {
	if got := Add(2, 3); got != 5 {
		t.Fatalf("Add(2, 3) = %d", got)
	}
}

// Goroutines on several threads, as a test binary's runtime has anyway.
func TestMulParallel(t *testing.T) {
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := range results {
		wg.Add(1)
		go func(i int) { defer wg.Done(); results[i] = Mul(i, 7) }(i)
	}
	wg.Wait()
	for i, r := range results {
		if r != i*7 {
			t.Errorf("Mul(%d, 7) = %d", i, r)
		}
	}
}

// Fails on purpose: the harness must see the failure in go test's output and status.
func TestFailsOnPurpose(t *testing.T) {
	if got := Add(2, 2); got != 5 {
		t.Errorf("expected 5, got %d", got)
	}
}
