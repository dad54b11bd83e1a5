/*
 * The C side of the encoder that wasm-media-encoders' JavaScript drives (its `audio/mpeg` ABI of version
 * 0.7.0: enc_init, enc_get_pcm, enc_encode, enc_flush, enc_get_out_buf, enc_free), so that our own LAME build
 * runs behind the same createEncoder() call. Same settings as that package: CBR or VBR, LAME's default
 * quality (-q 3, as native ffmpeg's libmp3lame), no Xing frame, no ID3 tag.
 */
#include <emscripten.h>
#include <lame/lame.h>
#include <wasi/api.h>
#include <stdlib.h>

#define MP3_BUFFER_SIZE(num_samples) (1.25 * (num_samples) + 7200)
#define DEFAULT_MP3_SIZE MP3_BUFFER_SIZE(48000 * 30)
#define DEFAULT_PCM_SAMPLE_COUNT 128

typedef struct {
  float *pcm;
  float *pcm_planes[2];
  unsigned int pcm_sample_count;
  unsigned int channel_count;
  unsigned char *mp3_buffer;
  unsigned int mp3_buffer_size;
  lame_global_flags *gfp;
} Encoder;

typedef struct __attribute__((packed)) {
  unsigned int in_channel_count;
  unsigned int in_sample_rate;
  unsigned int bitrate;
  float vbr_quality;
  unsigned int out_sample_rate;
} Params;

/*
 * The module runs without files: LAME's messages (lame_report_def, to stderr) and libc's stdio end here
 * rather than in WASI imports, which wasm-media-encoders' loader does not give (only proc_exit and memory
 * growth). The encoder reports failures by its return codes.
 */
__wasi_errno_t __wasi_fd_write(__wasi_fd_t fd, const __wasi_ciovec_t *iovs, size_t iovs_len, __wasi_size_t *nwritten) {
  (void)fd;
  __wasi_size_t total = 0;
  for (size_t i = 0; i < iovs_len; i++) total += iovs[i].buf_len;
  *nwritten = total;
  return __WASI_ERRNO_SUCCESS;
}

__wasi_errno_t __wasi_fd_close(__wasi_fd_t fd) {
  (void)fd;
  return __WASI_ERRNO_SUCCESS;
}

__wasi_errno_t __wasi_fd_seek(__wasi_fd_t fd, __wasi_filedelta_t offset, __wasi_whence_t whence,
                              __wasi_filesize_t *newoffset) {
  (void)fd, (void)offset, (void)whence, (void)newoffset;
  return __WASI_ERRNO_SPIPE;
}

EMSCRIPTEN_KEEPALIVE const char *version(void) { return "wasm-media-encoders-0.7.0"; }

EMSCRIPTEN_KEEPALIVE const char *mime_type(void) { return "audio/mpeg"; }

EMSCRIPTEN_KEEPALIVE float **enc_get_pcm(Encoder *enc, unsigned int num_samples) {
  if (num_samples * enc->channel_count > enc->pcm_sample_count) {
    enc->pcm_sample_count = num_samples * enc->channel_count * 2;
    enc->pcm = realloc(enc->pcm, enc->pcm_sample_count * sizeof(*enc->pcm));
    if (!enc->pcm) return NULL;
    enc->pcm_planes[0] = enc->pcm;
    enc->pcm_planes[1] = enc->pcm + enc->pcm_sample_count / 2;
  }
  return enc->pcm_planes;
}

EMSCRIPTEN_KEEPALIVE unsigned char *enc_get_out_buf(Encoder *enc) { return enc->mp3_buffer; }

EMSCRIPTEN_KEEPALIVE void enc_free(Encoder *enc) {
  if (!enc) return;
  if (enc->gfp) lame_close(enc->gfp);
  free(enc->pcm);
  free(enc->mp3_buffer);
  free(enc);
}

EMSCRIPTEN_KEEPALIVE Encoder *enc_init(const Params *params) {
  if (params->in_channel_count > 2 || (params->vbr_quality < 0) == (params->bitrate == 0)) return NULL;
  Encoder *enc = calloc(1, sizeof(Encoder));
  if (!enc) return NULL;
  enc->channel_count = params->in_channel_count;
  enc->mp3_buffer_size = DEFAULT_MP3_SIZE;
  enc->mp3_buffer = malloc(enc->mp3_buffer_size);
  enc->pcm_sample_count = DEFAULT_PCM_SAMPLE_COUNT * params->in_channel_count;
  enc->pcm = malloc(enc->pcm_sample_count * sizeof(*enc->pcm));
  enc->pcm_planes[0] = enc->pcm;
  enc->pcm_planes[1] = enc->pcm + enc->pcm_sample_count / 2;
  enc->gfp = lame_init();
  if (!enc->mp3_buffer || !enc->pcm || !enc->gfp) goto fail;
  lame_set_num_channels(enc->gfp, params->in_channel_count);
  lame_set_in_samplerate(enc->gfp, params->in_sample_rate);
  lame_set_out_samplerate(enc->gfp, params->out_sample_rate);
  lame_set_bWriteVbrTag(enc->gfp, 0);
  if (params->vbr_quality >= 0) {
    lame_set_VBR(enc->gfp, vbr_default);
    lame_set_VBR_quality(enc->gfp, params->vbr_quality);
  } else {
    lame_set_VBR(enc->gfp, vbr_off);
    lame_set_brate(enc->gfp, params->bitrate);
  }
  lame_set_write_id3tag_automatic(enc->gfp, 0);
  if (lame_init_params(enc->gfp) < 0) goto fail;
  return enc;
fail:
  enc_free(enc);
  return NULL;
}

EMSCRIPTEN_KEEPALIVE int enc_encode(Encoder *enc, unsigned int num_samples) {
  while (MP3_BUFFER_SIZE(num_samples) > enc->mp3_buffer_size) {
    enc->mp3_buffer_size *= 2;
    enc->mp3_buffer = realloc(enc->mp3_buffer, enc->mp3_buffer_size);
    if (!enc->mp3_buffer) return -1;
  }
  return lame_encode_buffer_ieee_float(enc->gfp, enc->pcm_planes[0], enc->pcm_planes[1], num_samples,
                                       enc->mp3_buffer, enc->mp3_buffer_size);
}

EMSCRIPTEN_KEEPALIVE int enc_flush(Encoder *enc) {
  return lame_encode_flush(enc->gfp, enc->mp3_buffer, enc->mp3_buffer_size);
}
