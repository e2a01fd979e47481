#pragma once
/// @file ebm_presets.h
/// The hyper-parameters of grenioux-2023 as named presets of `ebmc train-ebm --preset`:
/// `c2` (the 2:1 mixture, appendix C.2), `table4` (four modes, C.3), `table5` (8 Gaussians and
/// rings, C.4), `table7` (the 4-mode mixture in 16–64 dimensions, C.5 with Table 6's flows).

#include <cstdint>
#include <string>
#include <vector>

#include "ebmc/ebm/ebm_trainer.h"

namespace ebmc {

/// Trainer settings, data size and method options of one preset for one method.
struct EbmPreset {
  std::string name;
  EbmTrainerOptions trainer;
  int64_t data_size = 16384;
  int64_t epochs = 75;
  std::string method_spec;  ///< the method with the preset's options, e.g.
                            ///< `ula:step_size=0.0078125,steps=512`
};

/// The preset names, in order.
std::vector<std::string> ebm_preset_names();

/// The preset `name` for `method` (`ula`, `flowmc`, `ntebm`, `coopflow`) in dimension `dim`
/// (Table 6's flow sizes depend on it); `user_method` (`flowmc:particles=16`) overrides the
/// preset's method options key by key. Throws InputError for an unknown preset or method.
EbmPreset ebm_preset(const std::string& name, const std::string& user_method, int64_t dim);

}  // namespace ebmc
