;; The per-sample loops of the output path, eight samples at a time with WebAssembly SIMD (built into
;; dist/pcm-kernels.wasm by scripts/build-wasm.ts; loaded by pcm-kernels.ts, which keeps the plain
;; TypeScript loops of pcm.ts and loudness-normalizer.ts as the reference and the fallback).
;;
;; Every result is the reference's bit for bit:
;; - PCM16 of a float v is Math.round(v · 32768), clamped (pcm16Of). v · 32768 is exact in f32 (a
;;   power of two); f32x4.nearest rounds ties to even where Math.round rounds them up, so a tie
;;   (t − nearest(t) = 0.5, an exact difference) gets one added; trunc_sat and the saturating narrow
;;   clamp (±Infinity to the ends, NaN to 0, as pcm16Of).
;; - The gain is applied as in Math.fround(x · unit · g): the product in f64 (x · (unit · g) equals
;;   (x · unit) · g exactly, unit being a power of two), then rounded to f32 (demote: to nearest).
;; - The energy is summed in f64 one sample after the other, in order, as the reference loop does.
(module
  (memory (export "memory") 1)

  ;; The helpers are written out where they are used (macros in effect): the runtimes this
  ;; project supports do not inline WebAssembly calls, and a call per four samples costs more than
  ;; the work.

  ;; floatToPcm16 of n8 · 8 floats at $src into PCM16 at $dst; returns 1 when a sample is NaN or
  ;; infinite (v − v is then NaN), else 0.
  (func (export "floatToPcm16") (param $src i32) (param $dst i32) (param $n8 i32) (result i32)
    (local $bad v128)
    (local $a v128)
    (local $b v128)
    (local $ra v128)
    (local $rb v128)
    (block $done
      (br_if $done (i32.eqz (local.get $n8)))
      (loop $next
        (local.set $a (v128.load (local.get $src)))
        (local.set $b (v128.load offset=16 (local.get $src)))
        (local.set $bad
          (v128.or (local.get $bad)
            (v128.or
              (f32x4.ne (f32x4.sub (local.get $a) (local.get $a)) (v128.const f32x4 0 0 0 0))
              (f32x4.ne (f32x4.sub (local.get $b) (local.get $b)) (v128.const f32x4 0 0 0 0)))))
        ;; t = v · 32768; Math.round(t) = nearest(t), plus 1 on a tie (t − nearest(t) = 0.5).
        (local.set $a (f32x4.mul (local.get $a) (v128.const f32x4 32768 32768 32768 32768)))
        (local.set $b (f32x4.mul (local.get $b) (v128.const f32x4 32768 32768 32768 32768)))
        (local.set $ra (f32x4.nearest (local.get $a)))
        (local.set $rb (f32x4.nearest (local.get $b)))
        (v128.store (local.get $dst)
          (i16x8.narrow_i32x4_s
            (i32x4.trunc_sat_f32x4_s
              (f32x4.add (local.get $ra)
                (v128.and (f32x4.eq (f32x4.sub (local.get $a) (local.get $ra)) (v128.const f32x4 0.5 0.5 0.5 0.5)) (v128.const f32x4 1 1 1 1))))
            (i32x4.trunc_sat_f32x4_s
              (f32x4.add (local.get $rb)
                (v128.and (f32x4.eq (f32x4.sub (local.get $b) (local.get $rb)) (v128.const f32x4 0.5 0.5 0.5 0.5)) (v128.const f32x4 1 1 1 1))))))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $n8 (i32.sub (local.get $n8) (i32.const 1)))
        (br_if $next (local.get $n8))))
    (v128.any_true (local.get $bad)))

  ;; n8 · 8 PCM16 samples at $src, each times $g / 32768 and rounded to f32 (v), written as PCM16 of
  ;; v at $dst; returns $e plus the sum of v² over the samples, in order.
  (func (export "gainPcm16") (param $src i32) (param $dst i32) (param $n8 i32) (param $g f64) (param $e f64) (result f64)
    (local $gs v128)
    (local $lo v128)
    (local $hi v128)
    (local $a v128)
    (local $b v128)
    (local $ra v128)
    (local $rb v128)
    (local $d0 v128)
    (local $d1 v128)
    (local $d2 v128)
    (local $d3 v128)
    (local.set $gs (f64x2.splat (f64.mul (local.get $g) (f64.const 0x1p-15))))
    (block $done
      (br_if $done (i32.eqz (local.get $n8)))
      (loop $next
        (local.set $lo (i32x4.extend_low_i16x8_s (v128.load (local.get $src))))
        (local.set $hi (i32x4.extend_high_i16x8_s (v128.load (local.get $src))))
        ;; Samples 0–1, 2–3, 4–5, 6–7 as f64, times the gain, rounded to f32 and back (exact).
        (local.set $d0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $lo)) (local.get $gs)))))
        (local.set $d1 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.convert_low_i32x4_s
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $lo) (local.get $lo))) (local.get $gs)))))
        (local.set $d2 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $hi)) (local.get $gs)))))
        (local.set $d3 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.convert_low_i32x4_s
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $hi) (local.get $hi))) (local.get $gs)))))
        ;; The energy, one sample after the other.
        (local.set $a (f64x2.mul (local.get $d0) (local.get $d0)))
        (local.set $b (f64x2.mul (local.get $d1) (local.get $d1)))
        (local.set $e (f64.add (f64.add (local.get $e) (f64x2.extract_lane 0 (local.get $a))) (f64x2.extract_lane 1 (local.get $a))))
        (local.set $e (f64.add (f64.add (local.get $e) (f64x2.extract_lane 0 (local.get $b))) (f64x2.extract_lane 1 (local.get $b))))
        (local.set $a (f64x2.mul (local.get $d2) (local.get $d2)))
        (local.set $b (f64x2.mul (local.get $d3) (local.get $d3)))
        (local.set $e (f64.add (f64.add (local.get $e) (f64x2.extract_lane 0 (local.get $a))) (f64x2.extract_lane 1 (local.get $a))))
        (local.set $e (f64.add (f64.add (local.get $e) (f64x2.extract_lane 0 (local.get $b))) (f64x2.extract_lane 1 (local.get $b))))
        ;; t = v · 32768 in four f32 lanes; Math.round(t) as in floatToPcm16.
        (local.set $a (f32x4.mul
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero (local.get $d0)) (f32x4.demote_f64x2_zero (local.get $d1)))
          (v128.const f32x4 32768 32768 32768 32768)))
        (local.set $b (f32x4.mul
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero (local.get $d2)) (f32x4.demote_f64x2_zero (local.get $d3)))
          (v128.const f32x4 32768 32768 32768 32768)))
        (local.set $ra (f32x4.nearest (local.get $a)))
        (local.set $rb (f32x4.nearest (local.get $b)))
        (v128.store (local.get $dst)
          (i16x8.narrow_i32x4_s
            (i32x4.trunc_sat_f32x4_s
              (f32x4.add (local.get $ra)
                (v128.and (f32x4.eq (f32x4.sub (local.get $a) (local.get $ra)) (v128.const f32x4 0.5 0.5 0.5 0.5)) (v128.const f32x4 1 1 1 1))))
            (i32x4.trunc_sat_f32x4_s
              (f32x4.add (local.get $rb)
                (v128.and (f32x4.eq (f32x4.sub (local.get $b) (local.get $rb)) (v128.const f32x4 0.5 0.5 0.5 0.5)) (v128.const f32x4 1 1 1 1))))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $n8 (i32.sub (local.get $n8) (i32.const 1)))
        (br_if $next (local.get $n8))))
    (local.get $e))
)
