// go_runtime: the Go runtime's use of threads, futexes and timers. Goroutines and channels,
// sync.WaitGroup, sync.Mutex and sync/atomic across threads, time.Sleep, Timer, Ticker and
// select with a timeout, recovered panics (explicit and runtime errors), and the garbage
// collector under allocation. Everything printed is independent of scheduling and
// GOMAXPROCS: no times, addresses or goroutine ids.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// pipeline: generate 1..n, square, add one, then sum, each stage a goroutine (the last the
// caller), joined by unbuffered channels.
func pipeline(n int) int {
	gen := make(chan int)
	sq := make(chan int)
	inc := make(chan int, 8)
	go func() {
		for i := 1; i <= n; i++ {
			gen <- i
		}
		close(gen)
	}()
	go func() {
		for v := range gen {
			sq <- v * v
		}
		close(sq)
	}()
	go func() {
		for v := range sq {
			inc <- v + 1
		}
		close(inc)
	}()
	sum := 0
	for v := range inc {
		sum += v
	}
	return sum
}

func counters() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var locked int
	var atomic64 int64
	var atomic32 uint32
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				mu.Lock()
				locked++
				mu.Unlock()
				atomic.AddInt64(&atomic64, int64(g))
				atomic.AddUint32(&atomic32, 1)
				if i%100 == 0 {
					runtime.Gosched()
				}
			}
		}(g)
	}
	wg.Wait()
	fmt.Printf("waitgroup: mutex counter %d, atomic sum %d, atomic count %d\n",
		locked, atomic.LoadInt64(&atomic64), atomic.LoadUint32(&atomic32))

	var v atomic.Value
	v.Store("stored")
	var cas int32 = 5
	fmt.Printf("atomic: value %v, cas %v %v, now %d\n", v.Load(),
		atomic.CompareAndSwapInt32(&cas, 5, 7), atomic.CompareAndSwapInt32(&cas, 5, 9), cas)
}

// ring passes a token around a ring of goroutines, each hop a blocking handoff.
func ring(nodes, laps int) int {
	first := make(chan int)
	in := first
	for i := 0; i < nodes-1; i++ {
		out := make(chan int)
		go func(in <-chan int, out chan<- int) {
			for v := range in {
				out <- v + 1
			}
			close(out)
		}(in, out)
		in = out
	}
	last := in
	token := 0
	for lap := 0; lap < laps; lap++ {
		first <- token
		token = <-last
	}
	close(first)
	for range last {
	}
	return token
}

func timers() {
	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("sleep: at least 20ms passed:", time.Since(start) >= 20*time.Millisecond)

	t := time.NewTimer(10 * time.Millisecond)
	<-t.C
	fmt.Println("timer: fired")
	fmt.Println("timer: stop after firing reports", t.Stop())
	t2 := time.NewTimer(time.Hour)
	fmt.Println("timer: stop before firing reports", t2.Stop())

	tk := time.NewTicker(5 * time.Millisecond)
	for i := 1; i <= 3; i++ {
		<-tk.C
		fmt.Println("ticker: tick", i)
	}
	tk.Stop()

	done := make(chan struct{})
	time.AfterFunc(5*time.Millisecond, func() { close(done) })
	<-done
	fmt.Println("afterfunc: ran")

	never := make(chan int)
	select {
	case v := <-never:
		fmt.Println("select: unexpected value", v)
	case <-time.After(15 * time.Millisecond):
		fmt.Println("select: timed out")
	}
	ready := make(chan int, 1)
	ready <- 42
	select {
	case v := <-ready:
		fmt.Println("select: received", v)
	case <-time.After(time.Hour):
		fmt.Println("select: unexpected timeout")
	}
	select {
	case v := <-never:
		fmt.Println("select: unexpected value", v)
	default:
		fmt.Println("select: default")
	}
}

// try runs f and describes how it ended: the recovered value and whether it is a
// runtime.Error.
func try(name string, f func()) {
	defer func() {
		r := recover()
		var re runtime.Error
		isRuntime := false
		if err, ok := r.(error); ok {
			isRuntime = errors.As(err, &re)
		}
		fmt.Printf("recover %s: %v (runtime.Error %v)\n", name, r, isRuntime)
	}()
	f()
}

type custom struct{ code int }

func panics() {
	try("string", func() { panic("boom") })
	try("error", func() { panic(fmt.Errorf("wrapped: %w", os.ErrNotExist)) })
	try("value", func() { panic(custom{7}) })
	try("nil map write", func() {
		var m map[string]int
		m["x"] = 1
	})
	try("index out of range", func() {
		s := []int{1, 2, 3}
		i := len(os.Args) + 4
		_ = s[i]
	})
	try("slice bounds", func() {
		s := make([]byte, 4)
		j := len(os.Args) + 9
		_ = s[2:j]
	})
	try("integer divide by zero", func() {
		z := len(os.Args) - 1
		fmt.Println(10 / z)
	})
	try("type assertion", func() {
		var x interface{} = "text"
		_ = x.(int)
	})
	try("closed channel", func() {
		c := make(chan int)
		close(c)
		close(c)
	})
	// A panic in a goroutine, recovered there, reported through a channel.
	res := make(chan string)
	go func() {
		defer func() { res <- fmt.Sprint("goroutine recovered: ", recover()) }()
		var a []int
		a[len(os.Args)] = 1
	}()
	fmt.Println(<-res)
	// Nested: a deferred call panics while unwinding; the later panic is the one recovered.
	try("nested", func() {
		defer func() { panic("second") }()
		panic("first")
	})
}

type node struct {
	next *node
	data []byte
	val  uint64
}

// gcChurn allocates lists and buffers of many sizes, keeping a sliding window alive, with
// runtime.GC between rounds; the checksum covers what survived.
func gcChurn() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gcBefore := ms.NumGC
	const window = 8
	var keep [window]*node
	var sum uint64 = 14695981039346656037
	mix := func(v uint64) { sum = (sum ^ v) * 1099511628211 }
	for round := 0; round < 40; round++ {
		var head *node
		for i := 0; i < 500; i++ {
			n := &node{next: head, val: uint64(round*1000 + i), data: make([]byte, (i*37+round*11)%700)}
			for j := range n.data {
				n.data[j] = byte(j + i + round)
			}
			head = n
		}
		_ = make([]uint64, 1<<16) // garbage of 512 KiB
		m := make(map[int]string)
		for i := 0; i < 200; i++ {
			m[i] = fmt.Sprint("k", i*round)
		}
		mix(uint64(len(m[round%200])))
		keep[round%window] = head
		runtime.GC()
		for _, h := range keep {
			for n := h; n != nil; n = n.next {
				mix(n.val)
				if len(n.data) > 0 {
					mix(uint64(n.data[len(n.data)-1]))
				}
			}
		}
	}
	runtime.ReadMemStats(&ms)
	fmt.Printf("gc: checksum %016x, at least 40 collections %v\n", sum, ms.NumGC-gcBefore >= 40)
}

func main() {
	fmt.Println("pipeline: sum", pipeline(1000))
	counters()
	fmt.Println("ring: token", ring(100, 50))
	timers()
	panics()
	gcChurn()
	// Goroutines that called wg.Done or sent their last value may still be finishing:
	// wait (bounded) until only main is left.
	for i := 0; i < 1000 && runtime.NumGoroutine() > 1; i++ {
		time.Sleep(time.Millisecond)
	}
	fmt.Println("goroutines left:", runtime.NumGoroutine())
}
